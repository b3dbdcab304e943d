using System.Diagnostics;
using System.Numerics.Tensors;
using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;

namespace Hanlin.Retrieval.Benchmarks;

/// <summary>
/// Measures the retrieval core on generated data: BM25 indexing time and search latency over mixed
/// Chinese/English chunks, and HNSW build time, search latency and recall@10 against exact search.
/// Called by <c>hanlin bench search</c>; figures go to <c>docs/benchmarks.md</c>.
/// </summary>
public static class RetrievalBenchmark
{
    /// <summary>Runs the benchmark; <paramref name="progress"/> receives one line per phase.</summary>
    public static RetrievalBenchmarkResult Run(
        RetrievalBenchmarkOptions options,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.WorkDirectory);

        var (indexSeconds, bm25P50, bm25P99, meanHits, cpuMsPerQuery) = options.ChunkCount > 0
            ? RunLexical(options, progress, cancellationToken)
            : (0, 0, 0, 0, 0);
        var (buildSeconds, hnswP50, hnswP99, recall, exactP50) = options.VectorCount > 0
            ? RunVectors(options, progress, cancellationToken)
            : (0, 0, 0, 0, 0);
        var environment = $"{System.Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {System.Environment.Version}";
        return new RetrievalBenchmarkResult(
            options.ChunkCount,
            indexSeconds,
            bm25P50,
            bm25P99,
            meanHits,
            options.VectorCount,
            options.Dimensions,
            buildSeconds,
            hnswP50,
            hnswP99,
            recall,
            exactP50,
            environment)
        {
            Bm25CpuMsPerQuery = cpuMsPerQuery,
        };
    }

    private static (double IndexSeconds, double P50, double P99, double MeanHits, double CpuMsPerQuery) RunLexical(
        RetrievalBenchmarkOptions options,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var path = Path.Combine(options.WorkDirectory, "bench-lexical-" + Guid.NewGuid().ToString("N"));
        try
        {
            var corpus = new SyntheticCorpus(options.Seed);
            var collections = new[] { "col_a", "col_b", "col_c", "col_d" };
            var clock = Stopwatch.StartNew();
            using var index = new LuceneBm25Index(path, options: new LexicalIndexOptions { Scoring = options.LexicalScoring });
            const int batch = 1_000;
            for (var start = 0; start < options.ChunkCount; start += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunks = Enumerable.Range(start, Math.Min(batch, options.ChunkCount - start))
                    .Select(i => new IndexedChunk(
                        $"chk_{i}",
                        collections[i % collections.Length],
                        $"doc_{i / 20}",
                        $"document {i / 20}.pdf",
                        corpus.Text(6),
                        corpus.Text(3),
                        corpus.Text(options.WordsPerChunk),
                        (i % 20) + 1,
                        (i % 20) + 1,
                        new Dictionary<string, string> { ["kind"] = i % 3 == 0 ? "guideline" : "label" },
                        DateTimeOffset.UnixEpoch.AddDays(19_000 + (i % 700))))
                    .ToList();
                index.Upsert(chunks);
            }

            index.Commit();

            // Steady state of a serving index: writes have paused, so the idle merge has left one segment.
            index.Optimize();
            var indexSeconds = clock.Elapsed.TotalSeconds;
            progress?.Report($"bm25: indexed {options.ChunkCount} chunks in {indexSeconds:F1} s");

            var queries = Enumerable.Range(0, options.WarmupQueries + options.LexicalQueries).Select(_ => corpus.Query()).ToArray();
            var latencies = new double[options.LexicalQueries];
            long totalHits = 0;
            var process = Process.GetCurrentProcess();
            var cpuStart = TimeSpan.Zero;
            for (var i = 0; i < queries.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i == options.WarmupQueries)
                {
                    process.Refresh();
                    cpuStart = process.TotalProcessorTime;
                }

                var started = Stopwatch.GetTimestamp();
                var hits = index.Search(queries[i], topK: options.LexicalTopK);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (i >= options.WarmupQueries)
                {
                    latencies[i - options.WarmupQueries] = elapsed;
                    totalHits += hits.Count;
                }
            }

            process.Refresh();
            var cpuMsPerQuery = (process.TotalProcessorTime - cpuStart).TotalMilliseconds / Math.Max(1, options.LexicalQueries);
            var (p50, p99) = Percentiles(latencies);
            progress?.Report($"bm25 ({options.LexicalScoring}): p50 {p50:F2} ms, p99 {p99:F2} ms, {cpuMsPerQuery:F3} CPU ms/query over {options.LexicalQueries} queries");
            return (indexSeconds, p50, p99, totalHits / (double)Math.Max(1, options.LexicalQueries), cpuMsPerQuery);
        }
        finally
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // Leftover benchmark files are harmless; the work directory is the caller's.
            }
        }
    }

    private static (double BuildSeconds, double P50, double P99, double Recall, double ExactP50) RunVectors(
        RetrievalBenchmarkOptions options,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var random = new Random(options.Seed);
        var generate = VectorGenerator(options, random);
        var vectors = Enumerable.Range(0, options.VectorCount).Select(_ => generate()).ToArray();
        var queries = Enumerable.Range(0, options.VectorQueries).Select(_ => generate()).ToArray();

        var clock = Stopwatch.StartNew();
        using var index = new HnswIndex(options.Dimensions, options.Hnsw);
        for (var i = 0; i < vectors.Length; i++)
        {
            if (i % 1_000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            index.Add($"v{i}", vectors[i]);
        }

        var buildSeconds = clock.Elapsed.TotalSeconds;
        progress?.Report($"hnsw: built {options.VectorCount} x {options.Dimensions} in {buildSeconds:F1} s");

        foreach (var query in queries.Take(Math.Min(50, queries.Length)))
        {
            index.Search(query, 10, mode: VectorSearchMode.Approximate);
        }

        var latencies = new double[queries.Length];
        var exactLatencies = new double[queries.Length];
        var found = 0;
        for (var i = 0; i < queries.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            var approximate = index.Search(queries[i], 10, mode: VectorSearchMode.Approximate);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            started = Stopwatch.GetTimestamp();
            var exact = index.Search(queries[i], 10, mode: VectorSearchMode.Exact);
            exactLatencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var truth = exact.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
            found += approximate.Count(h => truth.Contains(h.Key));
        }

        var (p50, p99) = Percentiles(latencies);
        var recall = found / (double)Math.Max(1, queries.Length * 10);
        progress?.Report($"hnsw: p50 {p50:F2} ms, p99 {p99:F2} ms, recall@10 {recall:F3}");
        return (buildSeconds, p50, p99, recall, Percentiles(exactLatencies).P50);
    }

    private static Func<float[]> VectorGenerator(RetrievalBenchmarkOptions options, Random random)
    {
        var dimensions = options.Dimensions;
        var rank = options.VectorIntrinsicDimension;
        var basis = Enumerable.Range(0, rank).Select(_ => Gaussian(random, dimensions)).ToArray();
        return () =>
        {
            if (rank == 0)
            {
                return Gaussian(random, dimensions);
            }

            // Noise of 0.5 per component against a signal of about sqrt(rank) per component keeps the
            // vectors near their low-dimensional manifold, as real embeddings are.
            var vector = Gaussian(random, dimensions);
            TensorPrimitives.Multiply(vector, 0.5f, vector);
            foreach (var direction in basis)
            {
                TensorPrimitives.MultiplyAdd(direction, Gaussian(random), vector, vector);
            }

            return vector;
        };
    }

    private static float[] Gaussian(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = Gaussian(random);
        }

        return vector;
    }

    // Box-Muller transform; one of the pair is enough here.
    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static (double P50, double P99) Percentiles(double[] values)
    {
        if (values.Length == 0)
        {
            return (0, 0);
        }

        var sorted = values.Order().ToArray();
        return (sorted[(int)(0.50 * (sorted.Length - 1))], sorted[(int)Math.Ceiling(0.99 * (sorted.Length - 1))]);
    }
}
