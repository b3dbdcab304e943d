using Hanlin.Retrieval;

namespace Hanlin.Rag.Search;

/// <summary>A search over stored chunks: the query, where to look and how.</summary>
/// <param name="Query">What to look for (Chinese, English or mixed).</param>
public sealed record KnowledgeSearchRequest(string Query)
{
    /// <summary>Collection ids, documents, tags and dates to restrict to; <see cref="SearchFilter.None"/> searches everything.</summary>
    public SearchFilter Filter { get; init; } = SearchFilter.None;

    /// <summary>Earlier text giving the query its subject (previous questions), weighted below the query; null for none.</summary>
    public string? Context { get; init; }

    /// <summary>Number of hits wanted (1-100).</summary>
    public int TopK { get; init; } = 10;

    /// <summary>BM25, vector or hybrid; hybrid and vector fall back to BM25 (with a notice) without an embedding model.</summary>
    public RetrievalMode Mode { get; init; } = RetrievalMode.Hybrid;

    /// <summary>Re-rank candidates for diversity (MMR); needs vectors.</summary>
    public bool Diversify { get; init; }
}
