namespace Hanlin.Training.Evaluation;

/// <summary>
/// ROUGE-1, ROUGE-2 and ROUGE-L F1 (β = 1) on <see cref="MetricText.Tokenize"/> tokens: words for English
/// (lower-cased, punctuation dropped, no stemming, as Google's rouge-score defaults), single characters for
/// Chinese. Counts are clipped: a token matches at most as often as it occurs on the other side.
/// </summary>
public static class Rouge
{
    /// <summary>Scores one prediction against one reference.</summary>
    public static RougeScores Score(string prediction, string reference)
    {
        var p = MetricText.Tokenize(prediction);
        var r = MetricText.Tokenize(reference);
        return new RougeScores(NGramF1(p, r, 1), NGramF1(p, r, 2), LcsF1(p, r));
    }

    /// <summary>The mean of the per-pair scores (how rouge-score aggregates without bootstrap).</summary>
    public static RougeScores Average(IReadOnlyList<string> predictions, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(references);
        if (predictions.Count != references.Count || predictions.Count == 0)
        {
            throw new ArgumentException($"{predictions.Count} predictions for {references.Count} references; they must be aligned and not empty.", nameof(references));
        }

        var scores = predictions.Select((p, i) => Score(p, references[i])).ToList();
        return new RougeScores(scores.Average(s => s.Rouge1), scores.Average(s => s.Rouge2), scores.Average(s => s.RougeL));
    }

    private static double NGramF1(List<string> prediction, List<string> reference, int n)
    {
        var predictionGrams = Count(prediction, n);
        var referenceGrams = Count(reference, n);
        var overlap = predictionGrams.Sum(g => Math.Min(g.Value, referenceGrams.GetValueOrDefault(g.Key)));
        return F1(overlap, Math.Max(0, prediction.Count - n + 1), Math.Max(0, reference.Count - n + 1));
    }

    private static double LcsF1(List<string> prediction, List<string> reference)
    {
        // Two rows of the O(m·n) table are enough for the length.
        var previous = new int[reference.Count + 1];
        var current = new int[reference.Count + 1];
        foreach (var token in prediction)
        {
            for (var j = 1; j <= reference.Count; j++)
            {
                current[j] = string.Equals(token, reference[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return F1(previous[reference.Count], prediction.Count, reference.Count);
    }

    private static double F1(int overlap, int predictionCount, int referenceCount)
    {
        if (overlap == 0 || predictionCount == 0 || referenceCount == 0)
        {
            return 0;
        }

        var precision = (double)overlap / predictionCount;
        var recall = (double)overlap / referenceCount;
        return 2 * precision * recall / (precision + recall);
    }

    private static Dictionary<string, int> Count(List<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            var gram = n == 1 ? tokens[i] : string.Join('\u0001', tokens.GetRange(i, n));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }
}
