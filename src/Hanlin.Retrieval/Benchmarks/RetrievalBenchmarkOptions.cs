using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;

namespace Hanlin.Retrieval.Benchmarks;

/// <summary>Sizes and settings of <see cref="RetrievalBenchmark"/>.</summary>
public sealed record RetrievalBenchmarkOptions
{
    /// <summary>Directory for the temporary Lucene index; deleted afterwards. Required.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Synthetic mixed Chinese/English chunks indexed (0 skips the BM25 part).</summary>
    public int ChunkCount { get; init; } = 100_000;

    /// <summary>Words per synthetic chunk (about 1.5 CJK characters or one English word each).</summary>
    public int WordsPerChunk { get; init; } = 120;

    /// <summary>Timed BM25 queries (after <see cref="WarmupQueries"/> untimed ones).</summary>
    public int LexicalQueries { get; init; } = 2_000;

    /// <summary>How BM25 searches find their top hits (MaxScore pruning or Lucene's exhaustive scorers).</summary>
    public Bm25Scoring LexicalScoring { get; init; } = Bm25Scoring.MaxScore;

    /// <summary>Hits asked of each BM25 query.</summary>
    public int LexicalTopK { get; init; } = 10;

    /// <summary>Untimed queries run first so JIT and caches are warm.</summary>
    public int WarmupQueries { get; init; } = 200;

    /// <summary>Vectors indexed (0 skips the HNSW part).</summary>
    public int VectorCount { get; init; } = 100_000;

    /// <summary>Vector dimensions.</summary>
    public int Dimensions { get; init; } = 384;

    /// <summary>Timed vector queries; recall@10 is measured on these against exact search.</summary>
    public int VectorQueries { get; init; } = 500;

    /// <summary>
    /// Intrinsic dimension of the synthetic vectors (random latent vectors mapped through a fixed random
    /// basis, plus noise), mimicking sentence embeddings; 0 means isotropic Gaussian vectors, the worst
    /// case for any graph index.
    /// </summary>
    public int VectorIntrinsicDimension { get; init; } = 24;

    /// <summary>HNSW settings.</summary>
    public HnswOptions Hnsw { get; init; } = new() { M = 16, EfConstruction = 100, EfSearch = 100 };

    /// <summary>Seed of all generated data.</summary>
    public int Seed { get; init; } = 7;
}
