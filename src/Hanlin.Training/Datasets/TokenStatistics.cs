namespace Hanlin.Training.Datasets;

/// <summary>
/// Token counts per example: the sum over its turns' contents, without chat-template tokens (those depend on the
/// model and are added when examples are rendered). Median is the mean of the two middle values for an even count;
/// P95 is the nearest-rank percentile (the smallest count at least 95% of examples do not exceed).
/// </summary>
/// <param name="Examples">Number of examples counted.</param>
/// <param name="TotalTokens">Sum over all examples.</param>
/// <param name="Mean">Mean tokens per example.</param>
/// <param name="Median">Median tokens per example.</param>
/// <param name="P95">95th percentile (nearest rank).</param>
/// <param name="Min">Fewest tokens in an example.</param>
/// <param name="Max">Most tokens in an example.</param>
public sealed record TokenStatistics(int Examples, long TotalTokens, double Mean, double Median, int P95, int Min, int Max)
{
    /// <summary>Counts tokens of every example with <paramref name="counter"/> (default <see cref="Cl100kTokenCounter"/>).</summary>
    public static TokenStatistics Compute(IEnumerable<TrainingExample> examples, ITokenCounter? counter = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        counter ??= Cl100kTokenCounter.Instance;
        var counts = examples.Select(e => e.Messages.Sum(m => counter.CountTokens(m.Content))).ToArray();
        return FromCounts(counts);
    }

    /// <summary>Statistics of already counted examples; all zero for none.</summary>
    public static TokenStatistics FromCounts(IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0)
        {
            return new TokenStatistics(0, 0, 0, 0, 0, 0, 0);
        }

        var sorted = counts.Order().ToArray();
        var total = sorted.Sum(c => (long)c);
        var n = sorted.Length;
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + (double)sorted[n / 2]) / 2;
        var p95 = sorted[(int)Math.Ceiling(0.95 * n) - 1];
        return new TokenStatistics(n, total, (double)total / n, median, p95, sorted[0], sorted[^1]);
    }
}
