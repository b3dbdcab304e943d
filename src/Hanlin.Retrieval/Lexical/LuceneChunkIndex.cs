using System.Threading.Channels;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Core.Indexing;
using Hanlin.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// The BM25 index as the <see cref="IChunkIndex"/> that ingestion and deletion keep current, plus the
/// repair that makes it agree with storage again after a crash between the storage and index commits.
/// </summary>
/// <remarks>
/// The index follows storage: <see cref="ReplaceDocumentAsync"/> only queues the stored chunks, and one
/// background writer applies the queue in batches (one delete term per document, one refresh and one commit
/// per batch), on another core than the ingestion that feeds it. Storage stays the source of truth: a change
/// still queued when the process dies is re-applied from storage by <see cref="SynchronizeAsync"/> on the
/// next start. Removals go through the same queue, so they apply in order, and their calls return once they
/// are searchable. <see cref="WaitForIndexedAsync"/> waits for everything queued before it.
/// </remarks>
public sealed partial class LuceneChunkIndex : IChunkIndex, IDisposable
{
    // Bounded so a writer that falls behind slows ingestion down instead of holding every stored document's
    // text in memory: at most this many documents wait (a few MB each at most), keeping memory flat.
    private const int MaxQueuedChanges = 8;

    // A batch is written as one; larger ones amortise better but delay searchability.
    private const int MaxBatchChunks = 8_192;

    // Longest time written chunks stay unpublished (not searchable, not committed) while the writer is behind.
    private static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(5);

    // How long the writer waits for more work after catching up before it publishes. Ingestion queues one document
    // at a time, so a writer that published whenever the queue was empty refreshed (one small segment) and
    // committed (an fsync) per document, and merging those segments cost more than indexing the text: merges,
    // flushes and commits were a quarter of a 100 MB ingest's CPU (perf, docs/benchmarks.md). A caller that needs
    // searchability queues a barrier (WaitForIndexedAsync), which publishes at once.
    private static readonly TimeSpan IdleBeforePublish = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<IndexChange> _queue = Channel.CreateBounded<IndexChange>(new BoundedChannelOptions(MaxQueuedChanges)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ILogger<LuceneChunkIndex> _logger;
    private readonly Task _writer;
    private int _disposed;

    /// <summary>Wraps <paramref name="index"/> and starts its background writer; disposing this disposes the index.</summary>
    public LuceneChunkIndex(LuceneBm25Index index, ILogger<LuceneChunkIndex>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        Index = index;
        _logger = logger ?? NullLogger<LuceneChunkIndex>.Instance;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The underlying index, for searches.</summary>
    public LuceneBm25Index Index { get; }

    /// <summary>Queues the replacement; it is searchable after a later <see cref="WaitForIndexedAsync"/> completes.</summary>
    public Task ReplaceDocumentAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        var indexed = new IndexedChunk[chunks.Count];
        for (var i = 0; i < indexed.Length; i++)
        {
            indexed[i] = IndexedChunk.From(chunks[i], document.CollectionId, document.SourceName, document.Title, document.UpdatedAt);
        }

        return EnqueueAsync(new IndexChange(IndexChangeKind.Replace, document.Id, indexed, null), cancellationToken);
    }

    /// <summary>Removes the document's chunks; returns once the removal is searchable.</summary>
    public Task RemoveDocumentAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        return EnqueueAndWaitAsync(new IndexChange(IndexChangeKind.RemoveDocument, documentId, [], NewCompletion()), cancellationToken);
    }

    /// <summary>Removes the collection's chunks; returns once the removal is searchable.</summary>
    public Task RemoveCollectionAsync(string collectionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(collectionId);
        return EnqueueAndWaitAsync(new IndexChange(IndexChangeKind.RemoveCollection, collectionId, [], NewCompletion()), cancellationToken);
    }

    /// <summary>
    /// Completes once every change queued before the call is searchable and committed. A replacement that
    /// failed does not fail the wait (it was logged and is repaired from storage on the next start).
    /// </summary>
    public Task WaitForIndexedAsync(CancellationToken cancellationToken = default) =>
        EnqueueAndWaitAsync(new IndexChange(IndexChangeKind.Barrier, string.Empty, [], NewCompletion()), cancellationToken);

    /// <summary>
    /// Makes the index agree with storage: documents whose indexed chunks are not exactly those of their current
    /// stored version (by count per document and per version) are re-indexed, indexed documents that storage no
    /// longer has are removed. With <paramref name="rebuild"/> the index is cleared and every document re-indexed.
    /// </summary>
    public async Task<IndexSyncReport> SynchronizeAsync(IKnowledgeStore store, bool rebuild = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await WaitForIndexedAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (rebuild)
            {
                Index.Clear();
            }

            IReadOnlyDictionary<string, int> indexed = rebuild ? new Dictionary<string, int>() : Index.CountChunksByDocument();
            IReadOnlyDictionary<string, int> indexedVersions = rebuild ? new Dictionary<string, int>() : Index.CountChunksByVersion();
            var documents = await store.ListDocumentsAsync(null, cancellationToken).ConfigureAwait(false);
            var stored = documents.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            int reindexed = 0, chunks = 0;
            var batch = new List<(string DocumentId, IReadOnlyList<IndexedChunk> Chunks)>();
            var batchChunks = 0;
            foreach (var document in documents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // In step only if the index holds exactly the current version's chunks: a new version with as many
                // chunks as the old one (the index missed it) differs in version id, not in count.
                if (indexed.TryGetValue(document.Id, out var count) && count == document.ChunkCount
                    && indexedVersions.TryGetValue(document.CurrentVersionId, out var versionCount) && versionCount == count)
                {
                    continue;
                }

                var documentChunks = await store.GetChunksAsync(document.Id, cancellationToken).ConfigureAwait(false);
                batch.Add((document.Id, [.. documentChunks.Select(c => IndexedChunk.From(c, document.CollectionId, document.SourceName, document.Title, document.UpdatedAt))]));
                batchChunks += documentChunks.Count;
                if (batchChunks >= MaxBatchChunks)
                {
                    Index.ReplaceDocuments(batch);
                    batch.Clear();
                    batchChunks = 0;
                }

                reindexed++;
                chunks += documentChunks.Count;
            }

            if (batch.Count > 0)
            {
                Index.ReplaceDocuments(batch);
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

            if (rebuild)
            {
                // A rebuild leaves many fresh segments; merge them now, as the idle merge would a little later.
                Index.Optimize();
                Index.Commit();
            }

            return new IndexSyncReport(documents.Count, reindexed, removed, chunks);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies what is still queued, then closes the index (which commits).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();

        // The writer never throws (failures are logged per batch); waiting makes an orderly exit leave a complete index.
        _writer.GetAwaiter().GetResult();
        Index.Dispose();
        _gate.Dispose();
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task EnqueueAsync(IndexChange change, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            await _queue.Writer.WriteAsync(change, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new ObjectDisposedException(nameof(LuceneChunkIndex), ex);
        }
    }

    private async Task EnqueueAndWaitAsync(IndexChange change, CancellationToken cancellationToken)
    {
        await EnqueueAsync(change, cancellationToken).ConfigureAwait(false);
        await change.Completion!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<IndexChange>();
        var unpublished = false;
        var sincePublish = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (unpublished && !reader.TryPeek(out _) && !await MoreWithinAsync(reader, IdleBeforePublish).ConfigureAwait(false))
            {
                // Nothing queued for a moment: make what was written searchable and durable now rather than at the
                // next batch.
                await PublishAsync().ConfigureAwait(false);
                unpublished = false;
                sincePublish.Restart();
            }

            if (!await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                break;
            }

            // Whatever queued up while the previous batch was written goes into this one: the further the writer
            // falls behind, the larger (and cheaper per chunk) its batches get.
            var chunks = 0;
            while (chunks < MaxBatchChunks && reader.TryRead(out var change))
            {
                batch.Add(change);
                chunks += change.Chunks.Count;
            }

            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                // Publishing (refresh + commit, which fsyncs) waits on the disk, so while the writer is behind it
                // publishes only for a caller waiting on it or every PublishInterval.
                var publish = batch.Exists(c => c.Completion is not null) || sincePublish.Elapsed >= PublishInterval;
                Apply(batch, publish);
                unpublished = !publish;
                if (publish)
                {
                    sincePublish.Restart();
                }
            }
            finally
            {
                _gate.Release();
                batch.Clear();
            }
        }

        if (unpublished)
        {
            await PublishAsync().ConfigureAwait(false);
        }
    }

    // Waits up to delay for the next queued change; false when none came (or the queue was closed).
    private static async Task<bool> MoreWithinAsync(ChannelReader<IndexChange> reader, TimeSpan delay)
    {
        using var timeout = new CancellationTokenSource(delay);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task PublishAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Index.Refresh();
            Index.Commit();
        }
        catch (Exception ex)
        {
            // Writer boundary, as in Apply: storage has the documents; the next start repairs the index.
            LogBatchFailed(ex, 0, ex is HanlinException h ? h.Code : ErrorCodes.Internal);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Apply(List<IndexChange> batch, bool publish)
    {
        var replacements = new List<(string DocumentId, IReadOnlyList<IndexedChunk> Chunks)>();
        Exception? failure = null;
        try
        {
            foreach (var change in batch)
            {
                if (change.Kind == IndexChangeKind.Replace)
                {
                    replacements.Add((change.Id, change.Chunks));
                    continue;
                }

                // Order matters for removals; replacements queued before one are written first.
                FlushReplacements(replacements);
                if (change.Kind == IndexChangeKind.RemoveDocument)
                {
                    Index.DeleteDocument(change.Id);
                }
                else if (change.Kind == IndexChangeKind.RemoveCollection)
                {
                    Index.DeleteCollection(change.Id);
                }
            }

            FlushReplacements(replacements);
            if (publish)
            {
                Index.Refresh();
                Index.Commit();
            }
        }
        catch (Exception ex)
        {
            // Writer boundary: a failed batch must not stop the writer. Storage already holds the changes, so
            // the next start's repair re-applies replacements; removals report the failure to their callers.
            failure = ex;
            LogBatchFailed(ex, batch.Count, ex is HanlinException h ? h.Code : ErrorCodes.Internal);
        }

        foreach (var change in batch)
        {
            if (failure is not null && change.Kind is IndexChangeKind.RemoveDocument or IndexChangeKind.RemoveCollection)
            {
                change.Completion?.TrySetException(failure);
            }
            else
            {
                change.Completion?.TrySetResult();
            }
        }
    }

    private void FlushReplacements(List<(string DocumentId, IReadOnlyList<IndexedChunk> Chunks)> replacements)
    {
        if (replacements.Count > 0)
        {
            Index.ReplaceDocuments(replacements, refresh: false, allCores: false);
            replacements.Clear();
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "A batch of {Changes} lexical index changes failed ({ErrorCode}); stored documents are re-indexed from storage on the next start")]
    private partial void LogBatchFailed(Exception exception, int changes, string errorCode);
}
