namespace Hanlin.Retrieval.Benchmarks;

/// <summary>
/// Figures measured by <see cref="RetrievalBenchmark"/>; latencies in milliseconds, single-threaded, in
/// process. BM25 fields are zero when the BM25 part was skipped, HNSW fields when that part was.
/// </summary>
public sealed record RetrievalBenchmarkResult(
    int Chunks,
    double Bm25IndexSeconds,
    double Bm25P50Ms,
    double Bm25P99Ms,
    double Bm25MeanHits,
    int Vectors,
    int Dimensions,
    double HnswBuildSeconds,
    double HnswP50Ms,
    double HnswP99Ms,
    double RecallAt10,
    double ExactP50Ms,
    string Environment)
{
    /// <summary>Process CPU time per timed BM25 query in milliseconds (all threads, so it includes the GC's share).</summary>
    public double Bm25CpuMsPerQuery { get; init; }
}
