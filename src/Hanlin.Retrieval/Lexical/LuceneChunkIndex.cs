using Hanlin.Core.Documents;
using Hanlin.Core.Indexing;
using Hanlin.Core.Storage;

namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// The BM25 index as the <see cref="IChunkIndex"/> that ingestion and deletion keep current, plus the
/// repair that makes it agree with storage again after a crash between the storage and index commits.
/// </summary>
public sealed class LuceneChunkIndex : IChunkIndex, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public LuceneChunkIndex(LuceneBm25Index index)
    {
        ArgumentNullException.ThrowIfNull(index);
        Index = index;
    }

    /// <summary>The underlying index, for searches.</summary>
    public LuceneBm25Index Index { get; }

    public async Task ReplaceDocumentAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Index.DeleteDocument(document.Id);
            Index.Upsert(chunks.Select(c => IndexedChunk.From(c, document.CollectionId, document.SourceName, document.Title, document.UpdatedAt)));
            Index.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RemoveDocumentAsync(string documentId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Index.DeleteDocument(documentId);
            Index.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RemoveCollectionAsync(string collectionId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Index.DeleteCollection(collectionId);
            Index.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Makes the index agree with storage: documents whose indexed chunk count differs from the stored one
    /// are re-indexed, indexed documents that storage no longer has are removed. With
    /// <paramref name="rebuild"/> the index is cleared and every document re-indexed.
    /// </summary>
    public async Task<IndexSyncReport> SynchronizeAsync(IKnowledgeStore store, bool rebuild = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (rebuild)
            {
                Index.Clear();
            }

            IReadOnlyDictionary<string, int> indexed = rebuild ? new Dictionary<string, int>() : Index.CountChunksByDocument();
            var documents = await store.ListDocumentsAsync(null, cancellationToken).ConfigureAwait(false);
            var stored = documents.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            int reindexed = 0, chunks = 0;
            foreach (var document in documents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (indexed.TryGetValue(document.Id, out var count) && count == document.ChunkCount)
                {
                    continue;
                }

                var documentChunks = await store.GetChunksAsync(document.Id, cancellationToken).ConfigureAwait(false);
                Index.DeleteDocument(document.Id);
                Index.Upsert(documentChunks.Select(c => IndexedChunk.From(c, document.CollectionId, document.SourceName, document.Title, document.UpdatedAt)));
                reindexed++;
                chunks += documentChunks.Count;
            }

            var removed = 0;
            foreach (var orphan in indexed.Keys.Where(id => !stored.Contains(id)))
            {
                Index.DeleteDocument(orphan);
                removed++;
            }

            if (rebuild || reindexed > 0 || removed > 0)
            {
                Index.Commit();
            }

            return new IndexSyncReport(documents.Count, reindexed, removed, chunks);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        Index.Dispose();
        _gate.Dispose();
    }
}
