namespace Hanlin.Retrieval.Vectors;

/// <summary>How <see cref="HnswIndex.Search"/> finds neighbours.</summary>
public enum VectorSearchMode
{
    /// <summary>Exact below <see cref="HnswOptions.ExactSearchThreshold"/> live vectors, the graph above.</summary>
    Auto,

    /// <summary>Always the HNSW graph.</summary>
    Approximate,

    /// <summary>Always a full scan: exact, cost linear in the number of vectors.</summary>
    Exact,
}
