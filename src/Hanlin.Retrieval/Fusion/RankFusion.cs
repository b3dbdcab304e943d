using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;

namespace Hanlin.Retrieval.Fusion;

/// <summary>
/// Combines a BM25 result list and a vector result list into one ranking. Each input must be sorted best
/// first; a chunk's rank in a list is its 1-based position there, and a repeated chunk counts once, at its
/// best position. Either list may be empty (BM25-only or vector-only retrieval). Ties break by the better
/// single-list rank, then by chunk id, so results are deterministic.
/// </summary>
public static class RankFusion
{
    /// <summary>Fuses the two lists with <paramref name="options"/> and keeps the best <paramref name="topK"/>.</summary>
    public static IReadOnlyList<FusedHit> Fuse(
        IReadOnlyList<LexicalHit> lexical,
        IReadOnlyList<VectorHit> vector,
        FusionOptions? options = null,
        int topK = 10)
    {
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        options ??= new FusionOptions();
        options.Validate();

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        for (var i = 0; i < lexical.Count; i++)
        {
            var entry = GetEntry(entries, lexical[i].ChunkId);
            if (entry.Bm25Rank is null)
            {
                entry.Bm25Rank = i + 1;
                entry.Bm25Score = lexical[i].Score;
            }
        }

        for (var i = 0; i < vector.Count; i++)
        {
            var entry = GetEntry(entries, vector[i].Key);
            if (entry.VectorRank is null)
            {
                entry.VectorRank = i + 1;
                entry.VectorScore = vector[i].Score;
            }
        }

        if (options.Method == FusionMethod.ReciprocalRank)
        {
            foreach (var entry in entries.Values)
            {
                entry.Fused = ReciprocalRankScore(entry.Bm25Rank, options.RrfK, options.LexicalWeight)
                    + ReciprocalRankScore(entry.VectorRank, options.RrfK, options.VectorWeight);
            }
        }
        else
        {
            var (lexMin, lexMax) = Range(entries.Values.Select(e => e.Bm25Score));
            var (vecMin, vecMax) = Range(entries.Values.Select(e => e.VectorScore));
            var totalWeight = options.LexicalWeight + options.VectorWeight;
            foreach (var entry in entries.Values)
            {
                entry.Fused = ((options.LexicalWeight * MinMax(entry.Bm25Score, lexMin, lexMax))
                    + (options.VectorWeight * MinMax(entry.VectorScore, vecMin, vecMax))) / totalWeight;
            }
        }

        var ordered = entries
            .OrderByDescending(e => e.Value.Fused)
            .ThenBy(e => Math.Min(e.Value.Bm25Rank ?? int.MaxValue, e.Value.VectorRank ?? int.MaxValue))
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .Take(topK);
        var hits = new List<FusedHit>(Math.Min(topK, entries.Count));
        foreach (var (chunkId, e) in ordered)
        {
            var explanation = new HitExplanation(e.Bm25Score, e.Bm25Rank, e.VectorScore, e.VectorRank, e.Fused, options.Method);
            hits.Add(new FusedHit(chunkId, e.Fused, hits.Count + 1, explanation));
        }

        return hits;
    }

    /// <summary>The RRF contribution of one list: <c>weight / (k + rank)</c>, or 0 when absent.</summary>
    public static double ReciprocalRankScore(int? rank, int k, double weight = 1.0) =>
        rank is { } r ? weight / (k + r) : 0.0;

    private static Entry GetEntry(Dictionary<string, Entry> entries, string chunkId)
    {
        if (!entries.TryGetValue(chunkId, out var entry))
        {
            entry = new Entry();
            entries.Add(chunkId, entry);
        }

        return entry;
    }

    private static (float Min, float Max) Range(IEnumerable<float?> scores)
    {
        var min = float.MaxValue;
        var max = float.MinValue;
        foreach (var score in scores)
        {
            if (score is { } s)
            {
                min = Math.Min(min, s);
                max = Math.Max(max, s);
            }
        }

        return (min, max);
    }

    // A list where every score is equal carries no preference: each of its hits gets 1. Absent hits get 0.
    private static double MinMax(float? score, float min, float max) =>
        score is not { } s ? 0.0 : max > min ? (s - min) / (double)(max - min) : 1.0;

    private sealed class Entry
    {
        public float? Bm25Score { get; set; }

        public int? Bm25Rank { get; set; }

        public float? VectorScore { get; set; }

        public int? VectorRank { get; set; }

        public double Fused { get; set; }
    }
}
