using System.Text;
using System.Text.RegularExpressions;

namespace Hanlin.Training.Evaluation;

/// <summary>
/// Exact match and F1 of short answers. English follows the SQuAD v1.1 evaluation script: lower-case, delete ASCII
/// punctuation, delete the articles a/an/the, split on whitespace, F1 over the bag of tokens. When the prediction or a
/// reference contains CJK characters, the comparison is character level (CMRC 2018 style): punctuation dropped, each
/// CJK character a token, Latin words kept whole. With several references the best score counts.
/// </summary>
public static partial class AnswerMetrics
{
    /// <summary>1 when <paramref name="prediction"/> equals a reference after normalisation, else 0.</summary>
    public static double ExactMatch(string prediction, params IReadOnlyList<string> references) =>
        Best(prediction, references, static (p, r) => p.SequenceEqual(r, StringComparer.Ordinal) ? 1 : 0);

    /// <summary>Token-overlap F1 against the best-matching reference.</summary>
    public static double F1(string prediction, params IReadOnlyList<string> references) =>
        Best(prediction, references, TokenF1);

    /// <summary>Mean exact match and F1 over aligned predictions and references.</summary>
    public static AnswerScores Average(IReadOnlyList<string> predictions, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(references);
        if (predictions.Count != references.Count || predictions.Count == 0)
        {
            throw new ArgumentException($"{predictions.Count} predictions for {references.Count} references; they must be aligned and not empty.", nameof(references));
        }

        return new AnswerScores(
            predictions.Select((p, i) => ExactMatch(p, references[i])).Average(),
            predictions.Select((p, i) => F1(p, references[i])).Average());
    }

    /// <summary>The tokens compared: SQuAD-normalised words, or characters when <paramref name="characterLevel"/>.</summary>
    public static List<string> Normalize(string text, bool characterLevel)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (characterLevel)
        {
            return MetricText.Tokenize(text);
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            // Python's string.punctuation: deleted, not replaced by a space ("don't" -> "dont"), as SQuAD does.
            if (!(char.IsAscii(c) && char.IsPunctuation(c) || c is '$' or '+' or '<' or '=' or '>' or '^' or '`' or '|' or '~'))
            {
                sb.Append(c);
            }
        }

        var withoutArticles = Articles().Replace(sb.ToString(), " ");
        return [.. withoutArticles.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)];
    }

    private static double Best(string prediction, IReadOnlyList<string> references, Func<List<string>, List<string>, double> score)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
        {
            throw new ArgumentException("At least one reference answer is needed.", nameof(references));
        }

        var best = 0.0;
        foreach (var reference in references)
        {
            var characterLevel = MetricText.ContainsCjk(prediction) || MetricText.ContainsCjk(reference);
            best = Math.Max(best, score(Normalize(prediction, characterLevel), Normalize(reference, characterLevel)));
        }

        return best;
    }

    private static double TokenF1(List<string> prediction, List<string> reference)
    {
        if (prediction.Count == 0 || reference.Count == 0)
        {
            // SQuAD v2: two empty answers agree, an empty and a non-empty one do not.
            return prediction.Count == reference.Count ? 1 : 0;
        }

        var referenceCounts = reference.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var common = prediction.GroupBy(t => t, StringComparer.Ordinal).Sum(g => Math.Min(g.Count(), referenceCounts.GetValueOrDefault(g.Key)));
        if (common == 0)
        {
            return 0;
        }

        var precision = (double)common / prediction.Count;
        var recall = (double)common / reference.Count;
        return 2 * precision * recall / (precision + recall);
    }

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();
}
