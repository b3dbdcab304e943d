using System.Numerics.Tensors;
using Hanlin.Retrieval.Vectors;

namespace Hanlin.Retrieval.Fusion;

/// <summary>
/// Maximal marginal relevance (Carbonell &amp; Goldstein, 1998): greedily picks the hit maximising
/// <c>λ·relevance − (1 − λ)·max cosine similarity to the hits already picked</c>, so near-duplicate chunks
/// do not crowd out other evidence. Relevance is the fused score min-max normalised over the candidates.
/// Hits without a vector are never penalised as duplicates.
/// </summary>
public static class MaximalMarginalRelevance
{
    /// <summary>Re-ranks <paramref name="hits"/> using vectors from <paramref name="index"/>.</summary>
    public static IReadOnlyList<FusedHit> Rerank(IReadOnlyList<FusedHit> hits, HnswIndex index, double lambda = 0.7, int? topK = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Rerank(hits, key => GetVector(index, key), lambda, topK);
    }

    /// <summary>
    /// Re-ranks <paramref name="hits"/>; <paramref name="vectorOf"/> returns a chunk's unit-length vector or null.
    /// </summary>
    public static IReadOnlyList<FusedHit> Rerank(
        IReadOnlyList<FusedHit> hits,
        Func<string, float[]?> vectorOf,
        double lambda = 0.7,
        int? topK = null)
    {
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentNullException.ThrowIfNull(vectorOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(lambda, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lambda, 1.0);
        var take = Math.Min(topK ?? hits.Count, hits.Count);
        if (take <= 0)
        {
            return [];
        }

        var vectors = hits.Select(h => vectorOf(h.ChunkId)).ToArray();
        var min = hits.Min(h => h.Score);
        var max = hits.Max(h => h.Score);
        var relevance = hits.Select(h => max > min ? (h.Score - min) / (max - min) : 1.0).ToArray();

        // maxSimilarity[i]: highest cosine similarity of candidate i to any hit picked so far.
        var maxSimilarity = new double[hits.Count];
        var picked = new bool[hits.Count];
        var result = new List<FusedHit>(take);
        while (result.Count < take)
        {
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var i = 0; i < hits.Count; i++)
            {
                if (picked[i])
                {
                    continue;
                }

                var value = (lambda * relevance[i]) - ((1 - lambda) * maxSimilarity[i]);
                if (value > bestValue)
                {
                    bestValue = value;
                    best = i;
                }
            }

            picked[best] = true;
            result.Add(hits[best] with { Rank = result.Count + 1 });
            if (vectors[best] is not { } chosen)
            {
                continue;
            }

            for (var i = 0; i < hits.Count; i++)
            {
                if (!picked[i] && vectors[i] is { } other && other.Length == chosen.Length)
                {
                    maxSimilarity[i] = Math.Max(maxSimilarity[i], TensorPrimitives.Dot(chosen, other));
                }
            }
        }

        return result;
    }

    private static float[]? GetVector(HnswIndex index, string key)
    {
        var vector = new float[index.Dimensions];
        return index.TryGetVector(key, vector) ? vector : null;
    }
}
