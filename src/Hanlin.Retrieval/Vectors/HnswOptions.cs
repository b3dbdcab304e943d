namespace Hanlin.Retrieval.Vectors;

/// <summary>Parameters of <see cref="HnswIndex"/>; the defaults suit 384–1024-dimension sentence embeddings.</summary>
public sealed record HnswOptions
{
    /// <summary>Links per node on upper layers; layer 0 keeps up to twice as many. Fixed once the index is built.</summary>
    public int M { get; init; } = 16;

    /// <summary>Candidate list size while inserting; higher builds slower and recalls better.</summary>
    public int EfConstruction { get; init; } = 200;

    /// <summary>Candidate list size while searching (raised to <c>k</c> when smaller).</summary>
    public int EfSearch { get; init; } = 100;

    /// <summary>
    /// Below this many live vectors <see cref="VectorSearchMode.Auto"/> scans every vector: exact, and at
    /// this size about as fast as the graph.
    /// </summary>
    public int ExactSearchThreshold { get; init; } = 20_000;

    /// <summary>
    /// Factor applied to <see cref="EfSearch"/> when a filter is given, since filtered-out nodes still
    /// consume candidate slots; if the graph still yields fewer than <c>k</c> matches the search falls back
    /// to an exact filtered scan.
    /// </summary>
    public int FilteredEfMultiplier { get; init; } = 4;

    /// <summary>Seed for level assignment, so identical insert sequences build identical graphs.</summary>
    public int Seed { get; init; } = 42;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(M, 2, nameof(M));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(M, 256, nameof(M));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EfConstruction, nameof(EfConstruction));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EfSearch, nameof(EfSearch));
        ArgumentOutOfRangeException.ThrowIfNegative(ExactSearchThreshold, nameof(ExactSearchThreshold));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FilteredEfMultiplier, nameof(FilteredEfMultiplier));
    }
}
