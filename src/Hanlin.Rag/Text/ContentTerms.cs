using System.Collections.Concurrent;
using System.Collections.Frozen;
using Hanlin.Retrieval.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Hanlin.Rag.Text;

/// <summary>
/// The content terms of a text as retrieval sees them (<see cref="HanlinAnalyzer"/>: CJK bigrams plus whole
/// domain terms, stemmed English words without stop words, numbers whole), minus question words and
/// particles that say nothing about the topic ("what", "how many", 多少, 什么, 的). Used to score how well a
/// sentence or chunk covers a question and how well a chunk supports an answer sentence. Thread-safe.
/// </summary>
public sealed class ContentTerms
{
    // Stemmed forms, as the analyzer emits them ("many" -> "mani", "does" -> "doe").
    private static readonly FrozenSet<string> EnglishQuestionWords = new[]
    {
        "what", "how", "mani", "much", "when", "which", "who", "whom", "whose", "why", "where", "do", "doe", "did",
        "can", "could", "should", "would", "mai", "might", "must", "i", "my", "me", "you", "your", "we", "our", "us",
        "ha", "have", "had", "been", "tell", "pleas", "list", "give", "ani", "some",

        // Pronouns point back at an earlier turn's subject ("and its side effects?"); they name no topic themselves.
        "it", "its", "itself", "thei", "they", "them", "their", "thi", "this", "these", "those", "that", "he", "she",
        "him", "hi", "his", "her",
    }.ToFrozenSet(StringComparer.Ordinal);

    // A CJK bigram made only of these characters is a question frame (是多, 多少, 什么, 如何, 可以, 哪些),
    // and one holding a particle (的, 了, 吗, 呢) straddles a word boundary.
    private static readonly FrozenSet<char> QuestionChars = "什么多少怎如何哪些是否久长几有在为应该可以能会要请问谁呀".ToFrozenSet();

    // A bigram holding one of these is a question frame even with a content character beside it (剂怎, 款多, 级是).
    private static readonly FrozenSet<char> StrongQuestionChars = "什么怎哪是否久几谁多吗呢".ToFrozenSet();
    private static readonly FrozenSet<char> Particles = "的了吗呢吧啊".ToFrozenSet();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> EnglishQuestionWordSpans =
        EnglishQuestionWords.GetAlternateLookup<ReadOnlySpan<char>>();

    // Distinct terms kept for sharing; a corpus vocabulary is far smaller, so reaching this means churn, and the
    // pool starts over (sharing is an optimisation only: terms compare by value).
    private const int MaxPooledTerms = 1 << 18;

    // The field whose analysis chain chunk text is indexed with.
    private const string TextField = "text";

    private readonly HanlinAnalyzer _analyzer;

    // Every term seen, so a term met again costs no string allocation and cached analyses of many chunks share one
    // instance per term instead of one per occurrence.
    private readonly ConcurrentDictionary<string, string> _pool = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _poolSpans;

    // Approximate entry count: ConcurrentDictionary.Count takes every lock, on every miss of concurrent requests.
    private int _pooled;

    /// <summary>Creates the term extractor over <paramref name="analyzer"/> (the retrieval analyzer, so domain terms agree).</summary>
    public ContentTerms(HanlinAnalyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        _analyzer = analyzer;
        _poolSpans = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Distinct content terms of <paramref name="text"/> in order of appearance.</summary>
    public IReadOnlyList<string> Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<string>();
        if (text.Length == 0)
        {
            return result;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stream = _analyzer.GetTokenStream(TextField, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            var span = term.Buffer.AsSpan(0, term.Length);
            if (IsContent(span))
            {
                var shared = Share(span);
                if (seen.Add(shared))
                {
                    result.Add(shared);
                }
            }
        }

        stream.End();
        return result;
    }

    /// <summary>
    /// Appends every term of <paramref name="text"/> (content terms or not, duplicates included) with its character
    /// span to <paramref name="tokens"/>, in the analyzer's order: one pass over a whole chunk, whose terms the caller
    /// then assigns to its sentences.
    /// </summary>
    internal void Scan(string text, List<AnalysedToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokens);
        if (text.Length == 0)
        {
            return;
        }

        using var stream = _analyzer.GetTokenStream(TextField, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            var span = term.Buffer.AsSpan(0, term.Length);
            tokens.Add(new AnalysedToken(Share(span), offset.StartOffset, offset.EndOffset, IsContent(span)));
        }

        stream.End();
    }

    /// <summary>Whether <paramref name="term"/> is a number ("100", "2.5", "2024"): numbers must match exactly.</summary>
    public static bool IsNumber(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (term.Length == 0 || !char.IsAsciiDigit(term[0]))
        {
            return false;
        }

        foreach (var c in term)
        {
            if (!char.IsAsciiDigit(c) && c is not '.' and not ',')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The weight of a term in coverage scores: numbers count double, they pin a fact down.</summary>
    public static double Weight(string term) => IsNumber(term) ? 2.0 : 1.0;

    private string Share(ReadOnlySpan<char> term)
    {
        if (_poolSpans.TryGetValue(term, out var shared))
        {
            return shared;
        }

        if (Interlocked.Increment(ref _pooled) > MaxPooledTerms)
        {
            _pool.Clear();
            Interlocked.Exchange(ref _pooled, 0);
        }

        var created = term.ToString();
        return _pool.GetOrAdd(created, created);
    }

    private static bool IsContent(ReadOnlySpan<char> term)
    {
        if (EnglishQuestionWordSpans.Contains(term))
        {
            return false;
        }

        if (term.Length == 2 && IsCjk(term[0]) && IsCjk(term[1]))
        {
            if (Particles.Contains(term[0]) || Particles.Contains(term[1]) || StrongQuestionChars.Contains(term[0]) || StrongQuestionChars.Contains(term[1]))
            {
                return false;
            }

            return !(QuestionChars.Contains(term[0]) && QuestionChars.Contains(term[1]));
        }

        return !(term.Length == 1 && (Particles.Contains(term[0]) || QuestionChars.Contains(term[0])));
    }

    private static bool IsCjk(char c) => c is >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF';
}
