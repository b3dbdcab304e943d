using Hanlin.Core.Errors;
using Hanlin.Core.Ingestion;
using Hanlin.Core.Storage;
using Hanlin.Ingestion.Dedup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanlin.Ingestion.Pipeline;

/// <summary>
/// Runs an ingestion job over many files: one job record, progress after every file, one result per file.
/// A file that fails is recorded and the job goes on. Because each document is stored in one transaction,
/// a crash leaves every file either fully stored or not at all; running the same ingest again skips the
/// stored files as unchanged and completes the rest.
/// </summary>
public sealed partial class IngestionJobRunner
{
    private readonly IKnowledgeStore _store;
    private readonly DocumentProcessor _processor;
    private readonly ILogger<IngestionJobRunner> _logger;

    private readonly int _prepareAhead;

    public IngestionJobRunner(IKnowledgeStore store, DocumentProcessor processor, IOptions<IngestionOptions> options, ILogger<IngestionJobRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _processor = processor;
        _prepareAhead = options.Value.PrepareAhead;
        _logger = logger;
    }

    /// <summary>
    /// Ingests <paramref name="sources"/> into the collection named <paramref name="collectionName"/> (created if
    /// absent). Returns once the stored documents are searchable; the last progress report (no current file)
    /// marks the moment everything was stored.
    /// </summary>
    /// <param name="collectionName">Target collection name.</param>
    /// <param name="sources">Files to ingest.</param>
    /// <param name="preFailed">Entries that already failed while listing inputs; recorded in the job as they are.</param>
    /// <param name="progress">Receives a report before and after each file.</param>
    /// <param name="cancellationToken">Stops after the file in work is abandoned (not stored); the job is marked cancelled.</param>
    public async Task<IngestionJobResult> RunAsync(
        string collectionName,
        IReadOnlyList<IngestionSource> sources,
        IReadOnlyList<FileResult>? preFailed = null,
        IProgress<IngestionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        preFailed ??= [];
        var collection = await _store.GetOrCreateCollectionAsync(collectionName, cancellationToken).ConfigureAwait(false);
        var sizes = sources.Select(SizeOf).ToArray();
        var totalBytes = sizes.Sum();
        var totalFiles = sources.Count + preFailed.Count;
        var job = await _store.CreateJobAsync(collection.Id, totalFiles, totalBytes, cancellationToken).ConfigureAwait(false);
        LogJobStarted(job.Id, collection.Name, totalFiles, totalBytes);

        var results = new List<FileResult>(totalFiles);
        foreach (var failure in preFailed)
        {
            await _store.AddFileResultAsync(job.Id, failure, cancellationToken).ConfigureAwait(false);
            results.Add(failure);
        }

        var fingerprints = new NearDuplicateIndex();
        foreach (var fp in await _store.ListFingerprintsAsync(collection.Id, cancellationToken).ConfigureAwait(false))
        {
            fingerprints.Add(fp.ChunkId, fp.DocumentId, fp.SimHash);
        }

        long doneBytes = 0;
        var status = IngestionJobStatus.Running;

        // Files are prepared (extract, normalise, chunk: CPU-bound, read-only) up to `PrepareAhead` ahead of
        // the one being committed, so both cores work on a folder of small files; commits stay sequential
        // in input order, so dedup decisions and job results are the same as one-at-a-time processing.
        var lookahead = _prepareAhead;
        var preparing = new Queue<Task<PreparedDocument>>();
        var next = 0;
        try
        {
            for (var i = 0; i < sources.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                while (preparing.Count <= lookahead && next < sources.Count)
                {
                    var source = sources[next++];
                    preparing.Enqueue(Task.Run(() => _processor.PrepareAsync(source, collection, cancellationToken), cancellationToken));
                }

                var current = sources[i];
                progress?.Report(new IngestionProgress(results.Count, totalFiles, doneBytes, totalBytes, current.SourceName));
                await _store.UpdateJobProgressAsync(job.Id, results.Count, doneBytes, current.SourceName, cancellationToken).ConfigureAwait(false);

                var result = await ProcessOneAsync(preparing.Dequeue(), current, collection, fingerprints, sizes[i], cancellationToken).ConfigureAwait(false);
                await _store.AddFileResultAsync(job.Id, result, CancellationToken.None).ConfigureAwait(false);
                results.Add(result);
                doneBytes += sizes[i];
            }

            status = results.Count == 0 || results.Any(r => r.Outcome != FileOutcome.Failed)
                ? results.Any(r => r.Outcome == FileOutcome.Failed) ? IngestionJobStatus.PartiallyFailed : IngestionJobStatus.Succeeded
                : IngestionJobStatus.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = IngestionJobStatus.Cancelled;
        }
        finally
        {
            // Files prepared ahead of a cancellation or failure are dropped; their open files are closed.
            while (preparing.TryDequeue(out var abandoned))
            {
                try
                {
                    await (await abandoned.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Job boundary: a file prepared but never committed has nothing to report beyond the
                    // job's status, and its failure must not mask the one that ended the job.
                }
            }

            if (status == IngestionJobStatus.Running)
            {
                // Neither finished nor cancelled: the job itself broke (storage gone, disk full).
                status = IngestionJobStatus.Failed;
            }

            await _store.UpdateJobProgressAsync(job.Id, results.Count, doneBytes, null, CancellationToken.None).ConfigureAwait(false);
            job = await _store.FinishJobAsync(job.Id, status, CancellationToken.None).ConfigureAwait(false);
            progress?.Report(new IngestionProgress(results.Count, totalFiles, doneBytes, totalBytes, null));
            LogJobFinished(job.Id, status, results.Count);
        }

        // The job promises searchable results: the indexes follow storage in the background and catch up here
        // (at most a bounded queue of documents, so this is not cancellable).
        if (status != IngestionJobStatus.Cancelled)
        {
            await _processor.WaitForIndexesAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return new IngestionJobResult(job, results, IngestionSummary.From(results));
    }

    private async Task<FileResult> ProcessOneAsync(Task<PreparedDocument> preparing, IngestionSource source, Core.Collections.Collection collection, NearDuplicateIndex fingerprints, long size, CancellationToken cancellationToken)
    {
        try
        {
            var prepared = await preparing.ConfigureAwait(false);
            await using (prepared.ConfigureAwait(false))
            {
                return await _processor.CommitAsync(prepared, collection, fingerprints, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HanlinException ex)
        {
            LogFileFailed(source.SourceName, ex.Code, ex.Message);
            return await FailedAsync(source, collection.Id, size, ex.Code, ex.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Job boundary: an unexpected failure of one file (a library bug on odd input) must not
            // take the batch down; it is recorded with a generic code and logged with the stack.
            LogFileCrashed(ex, source.SourceName);
            return await FailedAsync(source, collection.Id, size, ErrorCodes.CorruptFile, $"'{source.SourceName}' could not be processed: {ex.Message}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<FileResult> FailedAsync(IngestionSource source, string collectionId, long size, string code, string message, CancellationToken cancellationToken)
    {
        var existing = await _store.FindDocumentBySourceAsync(collectionId, source.SourceName, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            // The stored version stays as it was; the document remembers that its update failed.
            await _store.RecordDocumentErrorAsync(existing.Id, code, message, cancellationToken).ConfigureAwait(false);
        }

        return new FileResult(source.SourceName, FileOutcome.Failed, existing?.Id, existing?.Version, null, size, 0, [], [], code, message);
    }

    private static long SizeOf(IngestionSource source)
    {
        try
        {
            return new FileInfo(source.FilePath).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Ingestion job {JobId} started for collection {Collection}: {Files} files, {Bytes} bytes")]
    private partial void LogJobStarted(string jobId, string collection, int files, long bytes);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Ingestion job {JobId} finished as {Status} after {Files} files")]
    private partial void LogJobFinished(string jobId, IngestionJobStatus status, int files);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "File {SourceName} failed with {ErrorCode}: {ErrorMessage}")]
    private partial void LogFileFailed(string sourceName, string errorCode, string errorMessage);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "File {SourceName} failed unexpectedly")]
    private partial void LogFileCrashed(Exception exception, string sourceName);
}
