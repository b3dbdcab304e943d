using Hanlin.Core.Documents;
using Hanlin.Core.Indexing;
using Hanlin.Core.Storage;
using Hanlin.Retrieval.Lexical;

namespace Hanlin.Retrieval.Vectors;

/// <summary>
/// Keeps both indexes in step with storage when an embedding model is configured: every write goes to the BM25
/// index first (which also knows a document's previous chunk ids), then the document's old vectors are removed
/// and its new chunks embedded. The vector file is saved at most every <see cref="SaveInterval"/> and on dispose;
/// after a crash <see cref="EmbedMissingAsync"/> embeds whatever chunks the vector index lacks.
/// </summary>
public sealed class VectorChunkIndex : IChunkIndex, IDisposable
{
    private readonly LuceneChunkIndex _lexical;
    private readonly EmbeddingVectorIndex _vectors;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _lastSave;
    private bool _dirty;

    /// <summary>Creates the pair; the caller keeps owning both indexes.</summary>
    public VectorChunkIndex(LuceneChunkIndex lexical, EmbeddingVectorIndex vectors, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(vectors);
        _lexical = lexical;
        _vectors = vectors;
        _time = time ?? TimeProvider.System;
        _lastSave = _time.GetUtcNow();
    }

    /// <summary>Longest time embedded vectors stay unsaved during ingestion.</summary>
    public static TimeSpan SaveInterval { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The vector index.</summary>
    public EmbeddingVectorIndex Vectors => _vectors;

    /// <inheritdoc />
    public async Task ReplaceDocumentAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The BM25 index writes in the background; it knows the previous chunk ids only once caught up.
            await _lexical.WaitForIndexedAsync(cancellationToken).ConfigureAwait(false);
            var previous = _lexical.Index.MatchingChunkIds(new SearchFilter { DocumentIds = [document.Id] });
            await _lexical.ReplaceDocumentAsync(document, chunks, cancellationToken).ConfigureAwait(false);
            _vectors.Remove(previous);
            await _vectors.UpsertAsync(
                chunks.Select(c => IndexedChunk.From(c, document.CollectionId, document.SourceName, document.Title, document.UpdatedAt)),
                cancellationToken).ConfigureAwait(false);
            MarkDirty();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task RemoveDocumentAsync(string documentId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The BM25 index writes in the background; it knows the previous chunk ids only once caught up.
            await _lexical.WaitForIndexedAsync(cancellationToken).ConfigureAwait(false);
            var previous = _lexical.Index.MatchingChunkIds(new SearchFilter { DocumentIds = [documentId] });
            await _lexical.RemoveDocumentAsync(documentId, cancellationToken).ConfigureAwait(false);
            _vectors.Remove(previous);
            MarkDirty();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task RemoveCollectionAsync(string collectionId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The BM25 index writes in the background; it knows the previous chunk ids only once caught up.
            await _lexical.WaitForIndexedAsync(cancellationToken).ConfigureAwait(false);
            var previous = _lexical.Index.MatchingChunkIds(new SearchFilter { CollectionIds = [collectionId] });
            await _lexical.RemoveCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false);
            _vectors.Remove(previous);
            MarkDirty();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public Task WaitForIndexedAsync(CancellationToken cancellationToken = default) => _lexical.WaitForIndexedAsync(cancellationToken);

    /// <summary>
    /// Embeds every chunk of the BM25 index that has no vector yet (a crash between the two writes, or a model
    /// configured after ingestion); run it after <see cref="LuceneChunkIndex.SynchronizeAsync"/> has brought the BM25
    /// index in line with storage. Returns the number of chunks embedded.
    /// </summary>
    public async Task<int> EmbedMissingAsync(IKnowledgeStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _lexical.WaitForIndexedAsync(cancellationToken).ConfigureAwait(false);
            var missing = _lexical.Index.MatchingChunkIds(SearchFilter.None)
                .Where(id => _vectors.Index?.Contains(id) != true)
                .ToList();
            var documents = new Dictionary<string, Document?>(StringComparer.Ordinal);
            var batch = new List<IndexedChunk>();
            foreach (var chunkId in missing)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await store.GetChunkAsync(chunkId, cancellationToken).ConfigureAwait(false) is not { } chunk)
                {
                    continue;
                }

                if (!documents.TryGetValue(chunk.DocumentId, out var document))
                {
                    document = await store.GetDocumentAsync(chunk.DocumentId, cancellationToken).ConfigureAwait(false);
                    documents[chunk.DocumentId] = document;
                }

                if (document is not null)
                {
                    batch.Add(IndexedChunk.From(chunk, document.CollectionId, document.SourceName, document.Title, document.UpdatedAt));
                }
            }

            await _vectors.UpsertAsync(batch, cancellationToken).ConfigureAwait(false);
            if (batch.Count > 0)
            {
                _vectors.Save();
                _lastSave = _time.GetUtcNow();
                _dirty = false;
            }

            return batch.Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Saves unsaved vectors now.</summary>
    public void Flush()
    {
        _gate.Wait();
        try
        {
            if (_dirty)
            {
                _vectors.Save();
                _dirty = false;
                _lastSave = _time.GetUtcNow();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Flush();
        _gate.Dispose();
    }

    // Saving rewrites the whole graph, so during a long ingestion it happens on an interval, not per document.
    private void MarkDirty()
    {
        _dirty = true;
        if (_time.GetUtcNow() - _lastSave >= SaveInterval)
        {
            _vectors.Save();
            _dirty = false;
            _lastSave = _time.GetUtcNow();
        }
    }
}
