namespace Hanlin.Retrieval.Fusion;

/// <summary>One hybrid hit: chunk id, fused score, 1-based rank and the explanation of its score.</summary>
public sealed record FusedHit(string ChunkId, double Score, int Rank, HitExplanation Explanation);
