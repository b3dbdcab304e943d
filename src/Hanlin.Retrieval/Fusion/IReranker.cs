namespace Hanlin.Retrieval.Fusion;

/// <summary>
/// Re-orders fused hits with a stronger, slower model (for example a cross-encoder) after fusion. The seam
/// where a model-backed reranker plugs in; <see cref="PassThroughReranker"/> is the default.
/// </summary>
public interface IReranker
{
    /// <summary>Returns at most <paramref name="topK"/> hits, best first, with ranks renumbered from 1.</summary>
    Task<IReadOnlyList<FusedHit>> RerankAsync(
        string query,
        IReadOnlyList<RerankCandidate> candidates,
        int topK,
        CancellationToken cancellationToken = default);
}
