using Hanlin.Retrieval.Fusion;

namespace Hanlin.Retrieval;

/// <summary>
/// Hits of a <see cref="HybridRetriever"/> search, the mode actually used, and a notice when it differs
/// from the one requested (for example "no embedding model configured; BM25 only").
/// </summary>
public sealed record HybridResult(IReadOnlyList<FusedHit> Hits, RetrievalMode ModeUsed, string? Notice);
