using Hanlin.Core.Errors;
using Hanlin.Retrieval.Vectors;

namespace Hanlin.Retrieval.Tests.Vectors;

public sealed class HnswIndexTests
{
    private const int Dimensions = 384;

    private static HnswIndex Build(float[][] vectors, HnswOptions? options = null)
    {
        var index = new HnswIndex(vectors[0].Length, options);
        for (var i = 0; i < vectors.Length; i++)
        {
            index.Add($"k{i}", vectors[i]);
        }

        return index;
    }

    [Fact]
    public void Approximate_search_recalls_at_least_95_percent_of_the_exact_top_10()
    {
        var vectors = RandomVectors.LowRank(6_000, Dimensions, seed: 1);
        var queries = RandomVectors.LowRank(50, Dimensions, seed: 2);
        using var index = Build(vectors, new HnswOptions { M = 16, EfConstruction = 64, EfSearch = 64 });

        var found = 0;
        foreach (var query in queries)
        {
            var exact = index.Search(query, 10, mode: VectorSearchMode.Exact).Select(h => h.Key).ToHashSet();
            found += index.Search(query, 10, mode: VectorSearchMode.Approximate).Count(h => exact.Contains(h.Key));
        }

        var recall = found / (double)(queries.Length * 10);
        Assert.True(recall >= 0.95, $"recall@10 was {recall:F3}");
    }

    [Fact]
    public void A_stored_vector_is_its_own_nearest_neighbour()
    {
        var vectors = RandomVectors.Make(2_000, 64, seed: 3);
        using var index = Build(vectors);

        foreach (var mode in new[] { VectorSearchMode.Exact, VectorSearchMode.Approximate })
        {
            var hit = index.Search(vectors[123], 1, mode: mode)[0];
            Assert.Equal("k123", hit.Key);
            Assert.Equal(1f, hit.Score, 1e-4f);
            Assert.Equal(1, hit.Rank);
        }
    }

    [Fact]
    public void A_saved_index_loads_back_with_identical_results()
    {
        using var temp = new TempDirectory();
        var vectors = RandomVectors.Make(3_000, 64, seed: 4);
        var queries = RandomVectors.Make(20, 64, seed: 5);
        using var index = Build(vectors);
        index.Remove("k7");
        var path = temp.File("vectors/index.hnsw");

        index.Save(path);
        using var loaded = HnswIndex.Load(path);

        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(1, loaded.DeletedCount);
        Assert.False(loaded.Contains("k7"));
        foreach (var query in queries)
        {
            Assert.Equal(
                index.Search(query, 10, mode: VectorSearchMode.Approximate),
                loaded.Search(query, 10, mode: VectorSearchMode.Approximate));
        }

        Assert.Single(Directory.GetFiles(temp.File("vectors")));
    }

    [Fact]
    public void Deleted_vectors_are_never_returned()
    {
        var vectors = RandomVectors.Make(2_000, 64, seed: 6);
        using var index = Build(vectors);

        Assert.True(index.Remove("k10"));
        Assert.False(index.Remove("k10"));

        foreach (var mode in new[] { VectorSearchMode.Exact, VectorSearchMode.Approximate })
        {
            var hits = index.Search(vectors[10], 20, mode: mode);
            Assert.DoesNotContain(hits, h => h.Key == "k10");
            Assert.Equal(20, hits.Count);
        }

        Assert.Equal(1_999, index.Count);
    }

    [Fact]
    public void Compaction_drops_tombstones_and_keeps_live_vectors_searchable()
    {
        var vectors = RandomVectors.Make(1_500, 32, seed: 7);
        using var index = Build(vectors);
        for (var i = 0; i < 1_000; i++)
        {
            index.Remove($"k{i}");
        }

        index.Compact();

        Assert.Equal(0, index.DeletedCount);
        Assert.Equal(500, index.Count);
        Assert.Equal("k1234", index.Search(vectors[1234], 1, mode: VectorSearchMode.Approximate)[0].Key);
    }

    [Fact]
    public void Filtered_search_returns_only_allowed_keys_and_fills_k_when_it_can()
    {
        var vectors = RandomVectors.Make(3_000, 64, seed: 8);
        using var index = Build(vectors);
        var allowed = Enumerable.Range(0, 3_000).Where(i => i % 100 == 0).Select(i => $"k{i}").ToHashSet();

        foreach (var mode in new[] { VectorSearchMode.Exact, VectorSearchMode.Approximate })
        {
            var hits = index.Search(vectors[5], 10, allowed.Contains, mode);
            Assert.Equal(10, hits.Count);
            Assert.All(hits, h => Assert.Contains(h.Key, allowed));
        }

        var exact = index.Search(vectors[500], 5, allowed.Contains, VectorSearchMode.Exact);
        var approximate = index.Search(vectors[500], 5, allowed.Contains, VectorSearchMode.Approximate);
        Assert.Equal("k500", approximate[0].Key);
        Assert.Equal(exact.Select(h => h.Key), approximate.Select(h => h.Key));
    }

    [Fact]
    public void Adding_an_existing_key_replaces_its_vector()
    {
        var vectors = RandomVectors.Make(100, 16, seed: 9);
        using var index = Build(vectors);

        index.Add("k1", vectors[50]);

        Assert.Equal(100, index.Count);
        var hits = index.Search(vectors[50], 2, mode: VectorSearchMode.Exact);
        Assert.Equal(["k1", "k50"], hits.Select(h => h.Key).Order());
    }

    [Fact]
    public void Vectors_are_compared_by_direction_only()
    {
        using var index = new HnswIndex(2);
        index.Add("east", [10f, 0f]);
        index.Add("north", [0f, 0.1f]);

        var hit = index.Search([0f, 5f], 1)[0];

        Assert.Equal("north", hit.Key);
        Assert.Equal(1f, hit.Score, 1e-6f);
    }

    [Fact]
    public void Bad_vectors_are_rejected_with_a_domain_error()
    {
        using var index = new HnswIndex(4);

        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<HanlinException>(() => index.Add("a", [1f, 2f])).Code);
        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<HanlinException>(() => index.Add("a", [0f, 0f, 0f, 0f])).Code);
        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<HanlinException>(() => index.Add("a", [float.NaN, 0f, 0f, 1f])).Code);
        Assert.Empty(index.Search([1f, 0f, 0f, 0f], 3));
    }

    [Fact]
    public void A_truncated_or_foreign_file_fails_to_load_as_corrupt()
    {
        using var temp = new TempDirectory();
        using var index = Build(RandomVectors.Make(200, 16, seed: 10));
        var path = temp.File("index.hnsw");
        index.Save(path);
        var bytes = File.ReadAllBytes(path);

        var truncated = temp.Write("truncated.hnsw", bytes[..(bytes.Length / 2)]);
        var foreign = temp.Write("foreign.hnsw", "not an index at all, just text"u8.ToArray());

        Assert.Equal(ErrorCodes.StorageCorrupt, Assert.Throws<HanlinException>(() => HnswIndex.Load(truncated)).Code);
        Assert.Equal(ErrorCodes.StorageCorrupt, Assert.Throws<HanlinException>(() => HnswIndex.Load(foreign)).Code);
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<HanlinException>(() => HnswIndex.Load(temp.File("missing.hnsw"))).Code);
    }

    [Fact]
    public void Deleting_every_vector_then_adding_again_works()
    {
        using var index = new HnswIndex(3);
        index.Add("a", [1f, 0f, 0f]);
        index.Remove("a");

        index.Add("b", [0f, 1f, 0f]);

        Assert.Equal("b", Assert.Single(index.Search([0f, 1f, 0f], 5, mode: VectorSearchMode.Approximate)).Key);
    }

    [Fact]
    public void Concurrent_searches_and_inserts_do_not_interfere()
    {
        var vectors = RandomVectors.Make(2_000, 32, seed: 11);
        using var index = Build(vectors[..1_000]);

        Parallel.For(0, 1_000, i =>
        {
            index.Add($"k{1_000 + i}", vectors[1_000 + i]);
            Assert.Equal($"k{i}", index.Search(vectors[i], 1, mode: VectorSearchMode.Approximate)[0].Key);
        });

        Assert.Equal(2_000, index.Count);
    }
}
