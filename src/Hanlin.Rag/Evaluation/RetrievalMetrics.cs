namespace Hanlin.Rag.Evaluation;

/// <summary>Ranking metrics with binary relevance (a passage is relevant when it is a gold passage).</summary>
public static class RetrievalMetrics
{
    /// <summary>Share of the gold passages found in the first <paramref name="k"/> results (0 when there is no gold).</summary>
    public static double RecallAt(IReadOnlyList<string> ranked, IReadOnlySet<string> gold, int k)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(gold);
        if (gold.Count == 0)
        {
            return 0;
        }

        return (double)ranked.Take(k).Distinct(StringComparer.Ordinal).Count(gold.Contains) / gold.Count;
    }

    /// <summary>Reciprocal rank of the first gold passage within the first <paramref name="k"/> results, else 0.</summary>
    public static double ReciprocalRankAt(IReadOnlyList<string> ranked, IReadOnlySet<string> gold, int k)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(gold);
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (gold.Contains(ranked[i]))
            {
                return 1.0 / (i + 1);
            }
        }

        return 0;
    }

    /// <summary>
    /// nDCG at <paramref name="k"/> with gain 1 for each gold passage: DCG = Σ 1/log2(rank + 1) over gold hits,
    /// divided by the DCG of the ideal ranking (all gold passages first).
    /// </summary>
    public static double NdcgAt(IReadOnlyList<string> ranked, IReadOnlySet<string> gold, int k)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(gold);
        if (gold.Count == 0)
        {
            return 0;
        }

        var dcg = 0.0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (gold.Contains(ranked[i]) && seen.Add(ranked[i]))
            {
                dcg += 1.0 / Math.Log2(i + 2);
            }
        }

        var ideal = 0.0;
        for (var i = 0; i < Math.Min(k, gold.Count); i++)
        {
            ideal += 1.0 / Math.Log2(i + 2);
        }

        return dcg / ideal;
    }
}
