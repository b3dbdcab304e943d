using System.Text;
using Hanlin.Rag.Context;

namespace Hanlin.Rag.Answers;

/// <summary>
/// The built-in answerer used when no chat model is configured: picks the evidence sentences that best cover
/// the question (share of its content terms, discounted by the chunk's rank), greedily adds sentences that
/// cover terms still missing, orders them by source and position, and marks each with its <c>[n]</c>.
/// Pure computation over the analysed evidence (no I/O), so it adds well under a millisecond per answer.
/// </summary>
public sealed class ExtractiveAnswerer
{
    // Each rank below the first costs this share of a sentence's score, so a slightly better match in a
    // much lower-ranked chunk does not beat the top chunk's sentence.
    private const double RankDiscount = 0.08;

    // A further sentence must score at least this share of the best one to be added.
    private const double CompanionShare = 0.6;

    private readonly int _maxSentences;

    /// <summary>Creates the answerer producing at most <paramref name="maxSentences"/> sentences.</summary>
    public ExtractiveAnswerer(int maxSentences)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSentences);
        _maxSentences = maxSentences;
    }

    /// <summary>The answer sentences (each ending in its marker), in reading order; empty when nothing matches.</summary>
    public IReadOnlyList<string> Answer(EvidenceAnalysis evidence, string language)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var candidates = new List<(int Passage, AnalysedSentence Sentence, double Score)>();
        for (var p = 0; p < evidence.Passages.Count; p++)
        {
            var passage = evidence.Passages[p];
            var rankFactor = 1.0 / (1.0 + (RankDiscount * p));
            foreach (var sentence in passage.Sentences)
            {
                // A sentence that only repeats its headings (the document title line) states nothing.
                if (IsNoise(sentence.Text) || sentence.Terms.IsSubsetOf(passage.HeadingTerms))
                {
                    continue;
                }

                var score = evidence.Coverage(sentence.Terms, passage.HeadingTerms) * rankFactor;
                if (score > 0)
                {
                    candidates.Add((p, sentence, score));
                }
            }
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
        var chosen = new List<(int Passage, AnalysedSentence Sentence)> { (candidates[0].Passage, candidates[0].Sentence) };
        var covered = new HashSet<string>(candidates[0].Sentence.Terms.Where(evidence.IsQueryTerm), StringComparer.Ordinal);
        var floor = candidates[0].Score * CompanionShare;
        foreach (var candidate in candidates.Skip(1))
        {
            if (chosen.Count >= _maxSentences || candidate.Score < floor)
            {
                break;
            }

            var adds = candidate.Sentence.Terms.Where(t => evidence.IsQueryTerm(t) && !covered.Contains(t)).ToList();
            if (adds.Count == 0 || chosen.Any(c => c.Sentence.Text == candidate.Sentence.Text))
            {
                continue;
            }

            covered.UnionWith(adds);
            chosen.Add((candidate.Passage, candidate.Sentence));
        }

        return [.. chosen
            .OrderBy(c => c.Passage)
            .ThenBy(c => c.Sentence.Start)
            .Select(c => WithMarker(Clean(c.Sentence.Text, language), evidence.Passages[c.Passage].Passage.Number, language))];
    }

    /// <summary>Joins answer sentences the way the language writes them.</summary>
    public static string Join(IEnumerable<string> sentences, string language) => string.Join(language == "zh" ? string.Empty : " ", sentences);

    // Markdown table rules and bare headings carry no statement.
    private static bool IsNoise(string sentence)
    {
        var trimmed = sentence.AsSpan().Trim();
        if (trimmed.Length < 2 || trimmed[0] == '#')
        {
            return true;
        }

        foreach (var c in trimmed)
        {
            if (c is not '|' and not '-' and not ':' and not ' ')
            {
                return false;
            }
        }

        return true;
    }

    // A table row reads as its cells joined; anything else is kept as written.
    private static string Clean(string sentence, string language)
    {
        var trimmed = sentence.Trim();
        if (!trimmed.StartsWith('|'))
        {
            return trimmed;
        }

        var cells = trimmed.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return string.Join(language == "zh" ? "；" : "; ", cells);
    }

    // The marker goes before the sentence's closing punctuation, so it stays inside the sentence.
    private static string WithMarker(string sentence, int number, string language)
    {
        var end = sentence.Length;
        while (end > 0 && sentence[end - 1] is '。' or '.' or '！' or '!' or '？' or '?' or '；' or ';')
        {
            end--;
        }

        var builder = new StringBuilder(sentence.Length + 6);
        builder.Append(sentence, 0, end);
        if (end > 0 && !IsCjk(sentence[end - 1]))
        {
            builder.Append(' ');
        }

        builder.Append('[').Append(number).Append(']');

        // A clause cut at a semicolon ends the answer sentence; a sentence without a stop gets one.
        var closing = sentence.AsSpan(end);
        if (closing.IsEmpty || closing[0] is ';' or '；')
        {
            builder.Append(language == "zh" ? "。" : ".");
        }
        else
        {
            builder.Append(closing);
        }

        return builder.ToString();
    }

    private static bool IsCjk(char c) => c is >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF';
}
