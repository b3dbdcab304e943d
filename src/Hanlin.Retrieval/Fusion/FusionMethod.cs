namespace Hanlin.Retrieval.Fusion;

/// <summary>How lexical and vector result lists are combined.</summary>
public enum FusionMethod
{
    /// <summary>Reciprocal-rank fusion: Σ weight / (k + rank). Ignores score scales; the robust default.</summary>
    ReciprocalRank,

    /// <summary>Min-max normalise each list's scores to [0, 1], then take the weighted mean.</summary>
    WeightedScore,
}
