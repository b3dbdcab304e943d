using Hanlin.Retrieval.Fusion;
using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;

namespace Hanlin.Retrieval;

/// <summary>
/// Hybrid retrieval: BM25 and vector candidates under the same filter, fused (RRF by default), optionally
/// diversified with MMR. Without a vector index (no embedding model configured) it is BM25 only and says so.
/// Chunk texts are not held here; a text-based <see cref="IReranker"/> runs in the answering layer, which
/// loads them from storage.
/// </summary>
public sealed class HybridRetriever
{
    private readonly LuceneBm25Index _lexical;
    private readonly EmbeddingVectorIndex? _vectors;

    /// <summary>Creates the retriever; <paramref name="vectors"/> is null when no embedding model is configured.</summary>
    public HybridRetriever(LuceneBm25Index lexical, EmbeddingVectorIndex? vectors = null)
    {
        ArgumentNullException.ThrowIfNull(lexical);
        _lexical = lexical;
        _vectors = vectors;
    }

    /// <summary>The BM25 index, which ingestion keeps in step with storage.</summary>
    public LuceneBm25Index Lexical => _lexical;

    /// <summary>The vector index, or null when no embedding model is configured; ingestion upserts into it.</summary>
    public EmbeddingVectorIndex? Vectors => _vectors;

    /// <summary>Runs <paramref name="query"/>.</summary>
    public async Task<HybridResult> SearchAsync(HybridQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.TopK);
        var mode = query.Mode;
        string? notice = null;
        if (mode != RetrievalMode.Bm25 && _vectors is null)
        {
            mode = RetrievalMode.Bm25;
            notice = "No embedding model is configured; results are BM25 only.";
        }

        // Fusion and MMR need a deeper candidate list than they return; BM25 alone ranks exactly as fused, so it
        // fetches only what is returned (each candidate costs a stored-fields read).
        var candidates = mode == RetrievalMode.Bm25 && !query.Diversify ? query.TopK : Math.Max(query.CandidatesPerRetriever, query.TopK);
        IReadOnlyList<LexicalHit> lexical = mode == RetrievalMode.Vector ? [] : _lexical.Search(query.Text, query.Filter, candidates, query.Context);
        IReadOnlyList<VectorHit> vector = [];
        if (mode != RetrievalMode.Bm25 && _vectors is not null)
        {
            // The lexical index is the system of record for chunk metadata, so it resolves the filter
            // to the chunk ids the vector search may return.
            Func<string, bool>? allowed = null;
            if (!query.Filter.IsEmpty)
            {
                var ids = _lexical.MatchingChunkIds(query.Filter);
                allowed = ids.Contains;
            }

            var text = string.IsNullOrWhiteSpace(query.Context) ? query.Text : string.Concat(query.Context, "\n", query.Text);
            vector = await _vectors.SearchAsync(text, candidates, allowed, cancellationToken).ConfigureAwait(false);
        }

        var fusedCount = query.Diversify ? candidates : query.TopK;
        var hits = RankFusion.Fuse(lexical, vector, query.Fusion, fusedCount);
        if (query.Diversify && _vectors?.Index is { } index)
        {
            hits = MaximalMarginalRelevance.Rerank(hits, index, query.DiversityLambda, query.TopK);
        }
        else if (hits.Count > query.TopK)
        {
            hits = [.. hits.Take(query.TopK)];
        }

        return new HybridResult(hits, mode, notice);
    }
}
