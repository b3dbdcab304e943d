namespace Hanlin.Retrieval.Fusion;

/// <summary>
/// Why a hit ranks where it does: its BM25 score and 1-based rank, its vector (cosine) score and rank
/// (null where the hit was absent from that list), and the fused score under <see cref="Method"/>.
/// </summary>
public sealed record HitExplanation(
    float? Bm25Score,
    int? Bm25Rank,
    float? VectorScore,
    int? VectorRank,
    double FusedScore,
    FusionMethod Method);
