using System.Globalization;
using System.Text;

namespace Hanlin.Rag.Evaluation;

/// <summary>
/// Answer-quality metrics against gold answers (the best over several golds is taken): exact match and F1
/// after SQuAD normalisation (lower case, punctuation and English articles removed, whitespace collapsed),
/// over words for English and over characters for Chinese (as the CMRC 2018 evaluation does), and ROUGE-L
/// (F-measure of the longest common subsequence over the same units).
/// </summary>
public static class AnswerMetrics
{
    /// <summary>1 when the normalised prediction equals a normalised gold answer, else 0.</summary>
    public static double ExactMatch(string prediction, IReadOnlyList<string> golds, string language)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(golds);
        var p = string.Join(' ', Units(prediction, language));
        return golds.Any(g => string.Join(' ', Units(g, language)) == p) ? 1 : 0;
    }

    /// <summary>Best unit-overlap F1 against the golds.</summary>
    public static double F1(string prediction, IReadOnlyList<string> golds, string language)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(golds);
        var p = Units(prediction, language);
        return golds.Count == 0 ? 0 : golds.Max(g => F1(p, Units(g, language)));
    }

    /// <summary>Best ROUGE-L F-measure (β = 1) against the golds.</summary>
    public static double RougeL(string prediction, IReadOnlyList<string> golds, string language)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(golds);
        var p = Units(prediction, language);
        return golds.Count == 0 ? 0 : golds.Max(g => RougeL(p, Units(g, language)));
    }

    /// <summary>
    /// The normalised units of <paramref name="text"/>: characters (without punctuation and spaces) for "zh",
    /// SQuAD-normalised words for "en".
    /// </summary>
    public static IReadOnlyList<string> Units(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lower = text.ToLowerInvariant();
        if (language == "zh")
        {
            var chars = new List<string>(lower.Length);
            foreach (var rune in lower.EnumerateRunes())
            {
                if (!Rune.IsPunctuation(rune) && !Rune.IsSymbol(rune) && !Rune.IsWhiteSpace(rune))
                {
                    chars.Add(rune.ToString());
                }
            }

            return chars;
        }

        var builder = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            var category = char.GetUnicodeCategory(c);
            var punctuation = char.IsPunctuation(c) || category is UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol;
            builder.Append(punctuation ? ' ' : c);
        }

        return builder.ToString()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("a" or "an" or "the"))
            .ToList();
    }

    private static double F1(IReadOnlyList<string> prediction, IReadOnlyList<string> gold)
    {
        if (prediction.Count == 0 || gold.Count == 0)
        {
            return prediction.Count == gold.Count ? 1 : 0;
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var unit in gold)
        {
            counts[unit] = counts.GetValueOrDefault(unit) + 1;
        }

        var common = 0;
        foreach (var unit in prediction)
        {
            if (counts.GetValueOrDefault(unit) > 0)
            {
                counts[unit]--;
                common++;
            }
        }

        if (common == 0)
        {
            return 0;
        }

        var precision = (double)common / prediction.Count;
        var recall = (double)common / gold.Count;
        return 2 * precision * recall / (precision + recall);
    }

    private static double RougeL(IReadOnlyList<string> prediction, IReadOnlyList<string> gold)
    {
        if (prediction.Count == 0 || gold.Count == 0)
        {
            return 0;
        }

        // One row of the LCS table at a time: O(|gold|) memory.
        var previous = new int[gold.Count + 1];
        var current = new int[gold.Count + 1];
        for (var i = 1; i <= prediction.Count; i++)
        {
            for (var j = 1; j <= gold.Count; j++)
            {
                current[j] = prediction[i - 1] == gold[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        var lcs = previous[gold.Count];
        if (lcs == 0)
        {
            return 0;
        }

        var precision = (double)lcs / prediction.Count;
        var recall = (double)lcs / gold.Count;
        return 2 * precision * recall / (precision + recall);
    }
}
