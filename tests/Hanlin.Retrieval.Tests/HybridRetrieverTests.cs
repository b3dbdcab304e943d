using Hanlin.Retrieval.Fusion;
using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Retrieval.Tests;

public sealed class HybridRetrieverTests : IDisposable
{
    private static readonly IndexedChunk[] Corpus =
    [
        TestChunks.Make("c1", "阿司匹林的禁忌：活动性消化道出血者禁用。", collection: "col_med"),
        TestChunks.Make("c2", "阿司匹林的用法用量：口服，一次0.5g。", collection: "col_med"),
        TestChunks.Make("c3", "华法林与阿司匹林合用增加出血风险。", collection: "col_med"),
        TestChunks.Make("c4", "阿司匹林的禁忌：活动性消化道出血者禁用。", collection: "col_other"),
        TestChunks.Make("c5", "市盈率是股价与每股收益的比值。", collection: "col_fin"),
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Without_an_embedding_model_search_is_bm25_only_and_says_so()
    {
        using var lexical = new LuceneBm25Index(_temp.File("lexical"));
        lexical.Upsert(Corpus);
        var retriever = new HybridRetriever(lexical);

        var result = await retriever.SearchAsync(new HybridQuery("阿司匹林 禁忌"), TestContext.Current.CancellationToken);

        Assert.Equal(RetrievalMode.Bm25, result.ModeUsed);
        Assert.NotNull(result.Notice);
        Assert.Contains(result.Hits, h => h.ChunkId == "c1");
        Assert.All(result.Hits, h => Assert.Null(h.Explanation.VectorRank));
    }

    [Fact]
    public async Task Hybrid_search_fuses_both_lists_and_applies_the_filter_to_vectors_too()
    {
        using var generator = new HashingEmbeddingGenerator();
        using var lexical = new LuceneBm25Index(_temp.File("lexical"));
        using var vectors = new EmbeddingVectorIndex(generator, _temp.File("vectors.hnsw"));
        lexical.Upsert(Corpus);
        await vectors.UpsertAsync(Corpus, TestContext.Current.CancellationToken);
        var retriever = new HybridRetriever(lexical, vectors);

        var result = await retriever.SearchAsync(
            new HybridQuery("阿司匹林 禁忌") { Filter = new SearchFilter { CollectionIds = ["col_med"] }, TopK = 3 },
            TestContext.Current.CancellationToken);

        Assert.Equal(RetrievalMode.Hybrid, result.ModeUsed);
        Assert.Null(result.Notice);
        Assert.Equal("c1", result.Hits[0].ChunkId);
        Assert.NotNull(result.Hits[0].Explanation.Bm25Rank);
        Assert.NotNull(result.Hits[0].Explanation.VectorRank);
        Assert.All(result.Hits, h => Assert.StartsWith("c", h.ChunkId));
        Assert.DoesNotContain(result.Hits, h => h.ChunkId is "c4" or "c5");
    }

    [Fact]
    public async Task A_saved_vector_index_is_loaded_by_the_next_instance()
    {
        using var generator = new HashingEmbeddingGenerator();
        var path = _temp.File("vectors.hnsw");
        IReadOnlyList<VectorHit> before;
        using (var vectors = new EmbeddingVectorIndex(generator, path))
        {
            await vectors.UpsertAsync(Corpus, TestContext.Current.CancellationToken);
            vectors.Remove(["c2"]);
            before = await vectors.SearchAsync("阿司匹林", 5, cancellationToken: TestContext.Current.CancellationToken);
            vectors.Save();
        }

        using var reopened = new EmbeddingVectorIndex(generator, path);

        Assert.Equal(Corpus.Length - 1, reopened.Count);
        Assert.Equal(before, await reopened.SearchAsync("阿司匹林", 5, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Diversified_search_puts_a_duplicate_below_different_evidence()
    {
        using var generator = new HashingEmbeddingGenerator();
        using var lexical = new LuceneBm25Index(_temp.File("lexical"));
        using var vectors = new EmbeddingVectorIndex(generator, _temp.File("vectors.hnsw"));
        lexical.Upsert(Corpus);
        await vectors.UpsertAsync(Corpus, TestContext.Current.CancellationToken);
        var retriever = new HybridRetriever(lexical, vectors);
        var query = new HybridQuery("阿司匹林 禁忌 出血") { TopK = 3, Fusion = new FusionOptions { Method = FusionMethod.WeightedScore } };

        var plain = await retriever.SearchAsync(query, TestContext.Current.CancellationToken);
        var diverse = await retriever.SearchAsync(query with { Diversify = true, DiversityLambda = 0.3 }, TestContext.Current.CancellationToken);

        // c1 and c4 are the same text: plainly they rank together; diversified, different evidence (c3) comes second.
        Assert.Equal(["c1", "c4"], plain.Hits.Take(2).Select(h => h.ChunkId).Order());
        var ids = diverse.Hits.Select(h => h.ChunkId).ToList();
        Assert.Contains(ids[0], new[] { "c1", "c4" });
        Assert.Equal("c3", ids[1]);
    }

    [Fact]
    public async Task The_module_registration_builds_a_working_retriever_from_configuration()
    {
        var dictionary = _temp.Write("terms.txt", "替格瑞洛\n");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Retrieval:IndexDirectory"] = _temp.File("index"),
                ["Retrieval:DomainDictionaryPath"] = dictionary,
            })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddHanlinRetrieval();

        await using var provider = services.BuildServiceProvider();
        var retriever = provider.GetRequiredService<HybridRetriever>();
        retriever.Lexical.Upsert([TestChunks.Make("t1", "替格瑞洛是抗血小板药。")]);
        var result = await retriever.SearchAsync(new HybridQuery("替格瑞洛"), TestContext.Current.CancellationToken);

        Assert.Equal("t1", Assert.Single(result.Hits).ChunkId);
        Assert.Null(retriever.Vectors);
        Assert.Contains("替格瑞洛", provider.GetRequiredService<Hanlin.Retrieval.Analysis.HanlinAnalyzer>().Terms("替格瑞洛片"));
    }
}
