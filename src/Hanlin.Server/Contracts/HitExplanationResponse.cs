namespace Hanlin.Server.Contracts;

/// <summary>Why a hit ranks where it does; ranks are 1-based and null where the hit was absent from that list.</summary>
public sealed record HitExplanationResponse(float? Bm25Score, int? Bm25Rank, float? VectorScore, int? VectorRank, double FusedScore, string Method);
