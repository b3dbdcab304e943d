namespace Hanlin.Retrieval.Lexical;

/// <summary>Query-time field boosts and limits of <see cref="LuceneBm25Index"/>.</summary>
public sealed record LexicalIndexOptions
{
    /// <summary>Boost of the chunk text field.</summary>
    public float TextBoost { get; init; } = 1.0f;

    /// <summary>Boost of the document title and name field.</summary>
    public float TitleBoost { get; init; } = 1.5f;

    /// <summary>Boost of the section path field.</summary>
    public float SectionBoost { get; init; } = 1.2f;

    /// <summary>
    /// Distinct query terms kept (in order of appearance); a pasted page of text must not build a query
    /// beyond Lucene's clause limit (1024) or take seconds to score.
    /// </summary>
    public int MaxQueryTerms { get; init; } = 200;

    /// <summary>Boost of a context term (<see cref="HybridQuery.Context"/>) relative to a query term of the same field.</summary>
    public float ContextBoost { get; init; } = 0.5f;

    /// <summary>
    /// Share of chunks above which a query term counts as common: it then only adds score to chunks that
    /// also match a rarer query term (see Lucene's CommonTermsQuery). Set above 1 to disable.
    /// </summary>
    public double CommonTermRatio { get; init; } = 0.05;

    /// <summary>
    /// Most common terms scored per query, the rarest first. Scoring walks every common term's long posting
    /// list while each adds little (a low IDF), so a long query (a pasted CJK sentence is dozens of bigrams)
    /// keeps its most telling common terms and drops the rest; rare terms are all kept.
    /// </summary>
    public int MaxCommonTerms { get; init; } = 16;

    /// <summary>Index size below which no term counts as common (small indexes are fast anyway).</summary>
    public int CommonTermMinChunks { get; init; } = 1_000;

    /// <summary>
    /// Megabytes of segment files searches read from memory instead of the memory-mapped files (0 = none); an index
    /// larger than this is served partly from disk. About 220 bytes a chunk of 120 words.
    /// </summary>
    public int MemoryCacheMegabytes { get; init; } = 256;

    /// <summary>
    /// Pause in writes after which the index is merged into one segment (fewer segments, less work per query).
    /// Zero or negative disables it.
    /// </summary>
    public TimeSpan IdleMergeDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Index size above which the idle merge is skipped and Lucene's merge policy alone decides.</summary>
    public int IdleMergeMaxMegabytes { get; init; } = 1024;

    /// <summary>
    /// How searches find their top hits: exact MaxScore pruning (the default) or Lucene's exhaustive scorers. Both
    /// return the same hits; the choice exists for benchmarks.
    /// </summary>
    public Bm25Scoring Scoring { get; init; } = Bm25Scoring.MaxScore;

    /// <summary>Largest <c>topK</c> a search accepts.</summary>
    public int MaxTopK { get; init; } = 1000;
}
