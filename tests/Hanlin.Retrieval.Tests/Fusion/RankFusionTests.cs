using Hanlin.Retrieval.Fusion;
using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;

namespace Hanlin.Retrieval.Tests.Fusion;

public sealed class RankFusionTests
{
    private static readonly LexicalHit[] Lexical =
    [
        new("a", "d", "c", 12f, 1),
        new("b", "d", "c", 8f, 2),
        new("c", "d", "c", 2f, 3),
    ];

    private static readonly VectorHit[] Vector =
    [
        new("c", 0.9f, 1),
        new("a", 0.8f, 2),
        new("e", 0.5f, 3),
    ];

    [Fact]
    public void Reciprocal_rank_fusion_sums_one_over_k_plus_rank()
    {
        var hits = RankFusion.Fuse(Lexical, Vector, new FusionOptions { RrfK = 60 }, topK: 10);

        Assert.Equal(["a", "c", "b", "e"], hits.Select(h => h.ChunkId));
        Assert.Equal((1.0 / 61) + (1.0 / 62), hits[0].Score, 12);
        Assert.Equal((1.0 / 63) + (1.0 / 61), hits[1].Score, 12);
        Assert.Equal(1.0 / 62, hits[2].Score, 12);
        Assert.Equal(1.0 / 63, hits[3].Score, 12);
        Assert.Equal([1, 2, 3, 4], hits.Select(h => h.Rank));
    }

    [Fact]
    public void Each_fused_hit_explains_both_lists_and_the_fused_score()
    {
        var hits = RankFusion.Fuse(Lexical, Vector);

        var a = hits.Single(h => h.ChunkId == "a").Explanation;
        Assert.Equal(new HitExplanation(12f, 1, 0.8f, 2, (1.0 / 61) + (1.0 / 62), FusionMethod.ReciprocalRank), a);
        var e = hits.Single(h => h.ChunkId == "e").Explanation;
        Assert.Null(e.Bm25Score);
        Assert.Null(e.Bm25Rank);
        Assert.Equal(3, e.VectorRank);
    }

    [Fact]
    public void Weighted_fusion_min_max_normalises_each_list_then_averages_by_weight()
    {
        var options = new FusionOptions { Method = FusionMethod.WeightedScore, LexicalWeight = 0.3, VectorWeight = 0.7 };

        var hits = RankFusion.Fuse(Lexical, Vector, options);

        // BM25 12, 8, 2 → 1, 0.6, 0; cosine 0.9, 0.8, 0.5 → 1, 0.75, 0.
        var expected = new Dictionary<string, double>
        {
            ["a"] = ((0.3 * 1.0) + (0.7 * 0.75)) / 1.0,
            ["b"] = 0.3 * 0.6,
            ["c"] = (0.3 * 0.0) + (0.7 * 1.0),
            ["e"] = 0.0,
        };
        Assert.Equal(["a", "c", "b", "e"], hits.Select(h => h.ChunkId));
        Assert.All(hits, h => Assert.Equal(expected[h.ChunkId], h.Score, 6));
        Assert.All(hits, h => Assert.Equal(FusionMethod.WeightedScore, h.Explanation.Method));
    }

    [Fact]
    public void A_single_list_keeps_its_order_and_top_k_truncates()
    {
        var hits = RankFusion.Fuse(Lexical, [], topK: 2);

        Assert.Equal(["a", "b"], hits.Select(h => h.ChunkId));
        Assert.All(hits, h => Assert.Null(h.Explanation.VectorRank));
    }

    [Fact]
    public void A_list_of_equal_scores_normalises_to_one_instead_of_dividing_by_zero()
    {
        var hits = RankFusion.Fuse(
            [new LexicalHit("x", "d", "c", 3f, 1), new LexicalHit("y", "d", "c", 3f, 2)],
            [],
            new FusionOptions { Method = FusionMethod.WeightedScore });

        Assert.All(hits, h => Assert.Equal(0.5, h.Score, 12));
        Assert.Equal(["x", "y"], hits.Select(h => h.ChunkId));
    }

    [Fact]
    public void Maximal_marginal_relevance_demotes_near_duplicates()
    {
        var hits = RankFusion.Fuse(
            [new LexicalHit("a", "d", "c", 10f, 1), new LexicalHit("a-copy", "d", "c", 9.9f, 2), new LexicalHit("other", "d", "c", 9f, 3)],
            [],
            new FusionOptions { Method = FusionMethod.WeightedScore });
        var vectors = new Dictionary<string, float[]>
        {
            ["a"] = [1f, 0f],
            ["a-copy"] = [0.999f, 0.0447f],
            ["other"] = [0f, 1f],
        };

        var reranked = MaximalMarginalRelevance.Rerank(hits, vectors.GetValueOrDefault, lambda: 0.5);

        Assert.Equal(["a", "other", "a-copy"], reranked.Select(h => h.ChunkId));
        Assert.Equal([1, 2, 3], reranked.Select(h => h.Rank));
        Assert.Equal(["a", "a-copy", "other"], MaximalMarginalRelevance.Rerank(hits, vectors.GetValueOrDefault, lambda: 1.0).Select(h => h.ChunkId));
    }

    [Fact]
    public async Task The_pass_through_reranker_keeps_order_and_renumbers()
    {
        var hits = RankFusion.Fuse(Lexical, Vector);

        var reranked = await new PassThroughReranker().RerankAsync("q", [.. hits.Skip(1).Select(h => new RerankCandidate(h, "text"))], topK: 2, TestContext.Current.CancellationToken);

        Assert.Equal(hits.Skip(1).Take(2).Select(h => h.ChunkId), reranked.Select(h => h.ChunkId));
        Assert.Equal([1, 2], reranked.Select(h => h.Rank));
    }
}
