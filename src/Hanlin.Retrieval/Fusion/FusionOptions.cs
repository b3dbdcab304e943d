namespace Hanlin.Retrieval.Fusion;

/// <summary>Fusion settings; tunable per collection.</summary>
public sealed record FusionOptions
{
    /// <summary>The combining rule.</summary>
    public FusionMethod Method { get; init; } = FusionMethod.ReciprocalRank;

    /// <summary>RRF's rank offset <c>k</c>; 60 is the value of Cormack et al. (2009).</summary>
    public int RrfK { get; init; } = 60;

    /// <summary>Weight of the BM25 list (both methods).</summary>
    public double LexicalWeight { get; init; } = 1.0;

    /// <summary>Weight of the vector list (both methods).</summary>
    public double VectorWeight { get; init; } = 1.0;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(RrfK, nameof(RrfK));
        ArgumentOutOfRangeException.ThrowIfNegative(LexicalWeight, nameof(LexicalWeight));
        ArgumentOutOfRangeException.ThrowIfNegative(VectorWeight, nameof(VectorWeight));
        if (LexicalWeight + VectorWeight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LexicalWeight), "At least one fusion weight must be positive.");
        }
    }
}
