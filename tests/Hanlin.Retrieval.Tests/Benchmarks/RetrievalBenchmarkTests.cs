using Hanlin.Retrieval.Benchmarks;
using Hanlin.Retrieval.Vectors;

namespace Hanlin.Retrieval.Tests.Benchmarks;

public sealed class RetrievalBenchmarkTests
{
    [Fact]
    public void A_small_benchmark_run_reports_every_figure_and_cleans_up()
    {
        using var temp = new TempDirectory();
        var lines = new List<string>();

        var result = RetrievalBenchmark.Run(
            new RetrievalBenchmarkOptions
            {
                WorkDirectory = temp.Path,
                ChunkCount = 300,
                LexicalQueries = 50,
                WarmupQueries = 5,
                VectorCount = 1_000,
                Dimensions = 32,
                VectorQueries = 30,
                Hnsw = new HnswOptions { M = 8, EfConstruction = 40, EfSearch = 40 },
            },
            new SynchronousProgress(lines.Add),
            TestContext.Current.CancellationToken);

        Assert.Equal(300, result.Chunks);
        Assert.True(result.Bm25MeanHits > 0, "synthetic queries should find synthetic chunks");
        Assert.True(result.Bm25P99Ms >= result.Bm25P50Ms);
        Assert.True(result.RecallAt10 >= 0.9, $"recall@10 was {result.RecallAt10:F3}");
        Assert.Equal(4, lines.Count);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
