namespace Hanlin.Retrieval.Fusion;

/// <summary>A hit offered to an <see cref="IReranker"/> together with the chunk text it needs to judge.</summary>
public sealed record RerankCandidate(FusedHit Hit, string Text);
