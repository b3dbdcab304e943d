using Hanlin.Core.Errors;
using Hanlin.Core.Storage;
using Hanlin.Retrieval;

namespace Hanlin.Rag.Search;

/// <summary>
/// <see cref="IKnowledgeSearch"/> over a <see cref="HybridRetriever"/> and the knowledge store: the indexes
/// give chunk ids and scores, storage gives the text and provenance (storage is the system of record).
/// </summary>
public sealed class KnowledgeSearch : IKnowledgeSearch
{
    /// <summary>The largest <see cref="KnowledgeSearchRequest.TopK"/> accepted.</summary>
    public const int MaxTopK = 100;

    /// <summary>The longest query accepted, in characters.</summary>
    public const int MaxQueryLength = 4096;

    private readonly HybridRetriever _retriever;
    private readonly IKnowledgeStore _store;
    private readonly QueryAdmission? _admission;

    /// <summary>
    /// Creates the search over <paramref name="retriever"/> and <paramref name="store"/>; with
    /// <paramref name="admission"/>, searches take their turn there (a server), without it they run at once.
    /// </summary>
    public KnowledgeSearch(HybridRetriever retriever, IKnowledgeStore store, QueryAdmission? admission = null)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        ArgumentNullException.ThrowIfNull(store);
        _retriever = retriever;
        _store = store;
        _admission = admission;
    }

    /// <inheritdoc />
    public async Task<KnowledgeSearchResult> SearchAsync(KnowledgeSearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "The query is empty.");
        }

        if (request.Query.Length > MaxQueryLength)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The query is {request.Query.Length} characters long; the limit is {MaxQueryLength}.");
        }

        if (request.TopK is < 1 or > MaxTopK)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"top_k must be between 1 and {MaxTopK}, not {request.TopK}.");
        }

        using var turn = _admission is null ? null : await _admission.EnterAsync(cancellationToken).ConfigureAwait(false);
        var result = await _retriever.SearchAsync(
            new HybridQuery(request.Query) { Context = request.Context, Filter = request.Filter, TopK = request.TopK, Mode = request.Mode, Diversify = request.Diversify },
            cancellationToken).ConfigureAwait(false);

        var stored = await _store.GetChunksWithDocumentsAsync([.. result.Hits.Select(h => h.ChunkId)], cancellationToken).ConfigureAwait(false);
        var byId = stored.ToDictionary(s => s.Chunk.Id, StringComparer.Ordinal);
        var hits = new List<KnowledgeSearchHit>(result.Hits.Count);
        foreach (var hit in result.Hits)
        {
            if (byId.TryGetValue(hit.ChunkId, out var found))
            {
                hits.Add(new KnowledgeSearchHit(hits.Count + 1, hit.Score, found.Chunk, found.Document, hit.Explanation));
            }
        }

        return new KnowledgeSearchResult(hits, result.ModeUsed, result.Notice);
    }
}
