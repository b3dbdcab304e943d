namespace Hanlin.Retrieval;

/// <summary>Which retrievers a search uses.</summary>
public enum RetrievalMode
{
    /// <summary>BM25 only.</summary>
    Bm25,

    /// <summary>Vectors only.</summary>
    Vector,

    /// <summary>BM25 and vectors, fused.</summary>
    Hybrid,
}
