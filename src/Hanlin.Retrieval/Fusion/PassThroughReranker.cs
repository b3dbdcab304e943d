namespace Hanlin.Retrieval.Fusion;

/// <summary>Keeps the fused order: the reranker used when none is configured.</summary>
public sealed class PassThroughReranker : IReranker
{
    /// <inheritdoc />
    public Task<IReadOnlyList<FusedHit>> RerankAsync(
        string query,
        IReadOnlyList<RerankCandidate> candidates,
        int topK,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<FusedHit> hits = [.. candidates.Take(topK).Select((c, i) => c.Hit with { Rank = i + 1 })];
        return Task.FromResult(hits);
    }
}
