using Hanlin.Retrieval.Fusion;

namespace Hanlin.Retrieval;

/// <summary>A search request to <see cref="HybridRetriever"/>.</summary>
public sealed record HybridQuery(string Text)
{
    /// <summary>
    /// Earlier text that gives <see cref="Text"/> its subject (a conversation's previous questions), or null. Its
    /// terms widen the search at a lower weight than the query's own, so "and its side effects?" finds the
    /// subject asked about before without outranking what is asked now.
    /// </summary>
    public string? Context { get; init; }

    /// <summary>Restrictions (collections, documents, tags, dates); also the access-control hook.</summary>
    public SearchFilter Filter { get; init; } = SearchFilter.None;

    /// <summary>Hits returned.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Requested retrievers; hybrid and vector fall back to BM25 when no embedding model is configured.</summary>
    public RetrievalMode Mode { get; init; } = RetrievalMode.Hybrid;

    /// <summary>Fusion rule and weights (per collection if the caller wishes).</summary>
    public FusionOptions Fusion { get; init; } = new();

    /// <summary>Candidates taken from each retriever before fusion; at least <see cref="TopK"/>.</summary>
    public int CandidatesPerRetriever { get; init; } = 50;

    /// <summary>Re-rank fused hits with maximal marginal relevance (needs vectors).</summary>
    public bool Diversify { get; init; }

    /// <summary>MMR's relevance/diversity balance in [0, 1]; 1 is pure relevance.</summary>
    public double DiversityLambda { get; init; } = 0.7;
}
