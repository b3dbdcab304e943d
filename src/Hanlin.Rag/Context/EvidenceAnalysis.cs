using Hanlin.Ingestion.Chunking;
using Hanlin.Rag.Text;
using Hanlin.Retrieval.Lexical;

namespace Hanlin.Rag.Context;

/// <summary>
/// The question's content terms with their weights, the analysed evidence, and how strongly the evidence
/// covers the question. <see cref="Strength"/> is what the refusal threshold applies to: for the best passage,
/// the mean of the weighted share of question terms found anywhere in the chunk and in its best sentence.
/// Weights are BM25 IDFs from the index when available, so a chunk that shares the topic (阿司匹林, warfarin)
/// but not the rare asked-for detail (医保报销, children, 2024) scores low, which is the case a refusal
/// must catch; numbers count double.
/// </summary>
public sealed class EvidenceAnalysis
{
    // The rarest question terms name what is asked about; a passage lacking one of them is about
    // something else, however many common terms it shares (rivaroxaban + children, not either alone).
    private const int KeyTermCount = 2;

    private readonly Dictionary<string, double> _weights;
    private readonly string[] _keyTerms;

    private EvidenceAnalysis(Dictionary<string, double> weights, IReadOnlySet<string> keyCandidates, IReadOnlyList<AnalysedPassage> passages)
    {
        _weights = weights;
        QueryTerms = [.. weights.Keys];
        Passages = passages;
        QueryWeight = weights.Values.Sum();
        _keyTerms = [.. weights.Where(w => keyCandidates.Contains(w.Key)).OrderByDescending(w => w.Value).Take(KeyTermCount).Select(w => w.Key)];
        var strength = 0.0;
        if (QueryWeight > 0)
        {
            foreach (var passage in passages)
            {
                strength = Math.Max(strength, PassageStrength(passage));
            }
        }

        Strength = strength;
    }

    /// <summary>Distinct content terms of the question that count.</summary>
    public IReadOnlyList<string> QueryTerms { get; }

    /// <summary>The rarest question terms the corpus holds, which a strong passage must hold too.</summary>
    public IReadOnlyList<string> KeyTerms => _keyTerms;

    /// <summary>Total weight of <see cref="QueryTerms"/>.</summary>
    public double QueryWeight { get; }

    /// <summary>The passages in context order, analysed.</summary>
    public IReadOnlyList<AnalysedPassage> Passages { get; }

    /// <summary>Evidence strength, 0..1.</summary>
    public double Strength { get; }

    /// <summary>
    /// Analyses <paramref name="passages"/> against <paramref name="question"/>; <paramref name="statistics"/>
    /// (the BM25 index) supplies document frequencies, without it every term weighs the same; <paramref name="cache"/>
    /// reuses the analysis of chunks seen before.
    /// </summary>
    public static EvidenceAnalysis Create(
        string question,
        IReadOnlyList<EvidencePassage> passages,
        ContentTerms terms,
        SentenceSplitter splitter,
        LuceneBm25Index? statistics = null,
        PassageAnalysisCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(passages);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(splitter);
        var analysed = new List<AnalysedPassage>(passages.Count);
        foreach (var passage in passages)
        {
            analysed.Add(cache is null ? Analyse(passage, terms, splitter) : cache.GetOrAdd(passage, p => Analyse(p, terms, splitter)));
        }

        var (weights, known) = Weigh(terms.Of(question), statistics);
        return new EvidenceAnalysis(weights, known, analysed);
    }

    /// <summary>Weighted share of the question's terms that <paramref name="available"/> (or <paramref name="alsoAvailable"/>) holds, 0..1.</summary>
    public double Coverage(IReadOnlySet<string> available, IReadOnlySet<string>? alsoAvailable = null)
    {
        ArgumentNullException.ThrowIfNull(available);
        if (QueryWeight <= 0)
        {
            return 0;
        }

        var found = 0.0;
        foreach (var (term, weight) in _weights)
        {
            if (available.Contains(term) || (alsoAvailable?.Contains(term) ?? false))
            {
                found += weight;
            }
        }

        return found / QueryWeight;
    }

    /// <summary>Whether <paramref name="term"/> is one of the question terms that count.</summary>
    public bool IsQueryTerm(string term) => _weights.ContainsKey(term);

    private static AnalysedPassage Analyse(EvidencePassage passage, ContentTerms terms, SentenceSplitter splitter)
    {
        var text = passage.Chunk.Text;
        var spans = splitter.Split(text);
        var headings = terms.Of(string.Join('\n', passage.Document.SourceName, passage.Document.Title ?? string.Empty, passage.Chunk.SectionPath))
            .ToHashSet(StringComparer.Ordinal);
        var union = new HashSet<string>(headings, StringComparer.Ordinal);
        var sentenceTerms = SentenceTerms(text, spans, terms);
        var sentences = new List<AnalysedSentence>(spans.Count);
        for (var i = 0; i < spans.Count; i++)
        {
            union.UnionWith(sentenceTerms[i]);
            sentences.Add(new AnalysedSentence(text.Substring(spans[i].Start, spans[i].Length), spans[i].Start, TermSet.From(sentenceTerms[i])));
        }

        return new AnalysedPassage(passage, sentences, TermSet.From(headings), TermSet.From(union));
    }

    /// <summary>The content terms of each sentence of <paramref name="text"/>.</summary>
    internal static HashSet<string>[] SentenceTerms(string text, IReadOnlyList<TextSpan> spans, ContentTerms terms) =>
        TrySentenceTermsInOnePass(text, spans, terms, out var sets) ? sets : SentenceTermsOneByOne(text, spans, terms);

    /// <summary>
    /// The content terms of each sentence of <paramref name="text"/> from one analyzer pass over the whole text, which
    /// costs far less than a pass per sentence. Sentences end at whitespace, a line break or after terminal punctuation,
    /// where word breaking breaks and CJK bigrams stop, so each sentence gets the terms it has analysed alone; false
    /// when a term nevertheless crosses a sentence boundary or lies outside every sentence.
    /// </summary>
    internal static bool TrySentenceTermsInOnePass(string text, IReadOnlyList<TextSpan> spans, ContentTerms terms, out HashSet<string>[] sets)
    {
        sets = new HashSet<string>[spans.Count];
        for (var i = 0; i < sets.Length; i++)
        {
            sets[i] = new HashSet<string>(StringComparer.Ordinal);
        }

        var tokens = new List<AnalysedToken>(text.Length / 4);
        terms.Scan(text, tokens);
        var sentence = 0;
        foreach (var token in tokens)
        {
            // Tokens come in text order; starting over is only a guard, should a filter ever emit one out of order.
            if (sentence < spans.Count && token.Start < spans[sentence].Start)
            {
                sentence = 0;
            }

            while (sentence < spans.Count && token.Start >= spans[sentence].Start + spans[sentence].Length)
            {
                sentence++;
            }

            if (sentence == spans.Count || token.Start < spans[sentence].Start || token.End > spans[sentence].Start + spans[sentence].Length)
            {
                return false;
            }

            if (token.IsContent)
            {
                sets[sentence].Add(token.Term);
            }
        }

        return true;
    }

    /// <summary>The content terms of each sentence of <paramref name="text"/>, analysing each sentence alone.</summary>
    internal static HashSet<string>[] SentenceTermsOneByOne(string text, IReadOnlyList<TextSpan> spans, ContentTerms terms)
    {
        var sets = new HashSet<string>[spans.Count];
        for (var i = 0; i < sets.Length; i++)
        {
            sets[i] = terms.Of(text.Substring(spans[i].Start, spans[i].Length)).ToHashSet(StringComparer.Ordinal);
        }

        return sets;
    }

    private double PassageStrength(AnalysedPassage passage)
    {
        var chunk = Coverage(passage.Terms);
        var sentence = 0.0;
        foreach (var s in passage.Sentences)
        {
            sentence = Math.Max(sentence, Coverage(s.Terms, passage.HeadingTerms));
        }

        var keys = _keyTerms.Length == 0 ? 1.0 : (double)_keyTerms.Count(passage.Terms.Contains) / _keyTerms.Length;
        return (chunk + sentence) / 2 * (0.5 + (0.5 * keys));
    }

    // Returns the weights and the key-term candidates: words, numbers and whole domain terms the corpus
    // holds. A term found nowhere cannot tell passages apart, and a CJK bigram may straddle two words.
    private static (Dictionary<string, double> Weights, IReadOnlySet<string> Known) Weigh(IReadOnlyList<string> queryTerms, LuceneBm25Index? statistics)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        if (statistics is null)
        {
            foreach (var term in queryTerms)
            {
                weights[term] = ContentTerms.Weight(term);
            }

            return (weights, new HashSet<string>());
        }

        var total = Math.Max(1, statistics.Count);
        var frequencies = queryTerms.ToDictionary(t => t, statistics.DocumentFrequency, StringComparer.Ordinal);

        // A CJK bigram across a word boundary (片每 in 肠溶片每片) occurs nowhere; it says nothing about the
        // corpus when both its characters are covered by bigrams that do occur. A bigram whose characters
        // are found in no occurring bigram (医保 in 医保报销) names something the corpus never mentions.
        var coveredChars = new HashSet<char>();
        foreach (var (term, df) in frequencies)
        {
            if (df > 0 && IsCjkBigram(term))
            {
                coveredChars.Add(term[0]);
                coveredChars.Add(term[1]);
            }
        }

        foreach (var term in queryTerms)
        {
            var df = frequencies[term];
            if (df == 0 && IsCjkBigram(term) && coveredChars.Contains(term[0]) && coveredChars.Contains(term[1]))
            {
                continue;
            }

            var idf = Math.Log(1 + ((total - df + 0.5) / (df + 0.5)));
            weights[term] = idf * ContentTerms.Weight(term);
        }

        return (weights, frequencies.Where(f => f.Value > 0 && !IsCjkBigram(f.Key)).Select(f => f.Key).ToHashSet(StringComparer.Ordinal));
    }

    private static bool IsCjkBigram(string term) =>
        term.Length == 2 && term[0] is >= '\u3400' and <= '\u9FFF' && term[1] is >= '\u3400' and <= '\u9FFF';
}
