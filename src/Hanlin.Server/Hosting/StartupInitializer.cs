using System.Diagnostics;
using Hanlin.Core.Storage;
using Hanlin.Core.Indexing;
using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanlin.Server.Hosting;

/// <summary>
/// Opens the store (schema migration, interrupted jobs) and repairs the BM25 index from storage, in the
/// background so Kestrel listens at once; then marks the server ready.
/// </summary>
internal sealed partial class StartupInitializer : BackgroundService
{
    private readonly IKnowledgeStore _store;
    private readonly ServerReadiness _readiness;
    private readonly IServiceProvider _services;
    private readonly ILogger<StartupInitializer> _logger;

    // The indexes are resolved in ExecuteAsync, not injected: opening them (Lucene readers, the memory cache) is a few
    // hundred milliseconds of a cold start that then overlaps Kestrel's own start instead of preceding it.
    public StartupInitializer(IKnowledgeStore store, ServerReadiness readiness, IServiceProvider services, ILogger<StartupInitializer> logger)
    {
        _services = services;
        _store = store;
        _readiness = readiness;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();

        // ExecuteAsync runs on the host's starting thread up to its first real wait; leave it at once so the host
        // goes on to start Kestrel while this thread opens the store and the index.
        await Task.Yield();
        try
        {
            await _store.InitializeAsync(stoppingToken).ConfigureAwait(false);
            var index = _services.GetRequiredService<LuceneChunkIndex>();
            var report = await index.SynchronizeAsync(_store, rebuild: false, stoppingToken).ConfigureAwait(false);
            if (_services.GetRequiredService<IChunkIndex>() is VectorChunkIndex vectors)
            {
                var embedded = await vectors.EmbedMissingAsync(_store, stoppingToken).ConfigureAwait(false);
                LogEmbedded(embedded);
            }

            if (_services.GetService(typeof(StartupHook)) is StartupHook { BeforeReady: { } beforeReady })
            {
                await beforeReady(_services, stoppingToken).ConfigureAwait(false);
            }

            _readiness.MarkReady();
            LogReady(clock.ElapsedMilliseconds, report.DocumentsChecked, report.DocumentsReindexed, report.DocumentsRemoved);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _readiness.MarkFailed(new OperationCanceledException("The server stopped before it was ready."));
        }
        catch (Exception ex)
        {
            // Start-up boundary: the failure is reported by /readyz and every API call instead of killing the host.
            LogFailed(ex);
            _readiness.MarkFailed(ex);
        }
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Ready after {ElapsedMs} ms: {Documents} documents, {Reindexed} re-indexed, {Removed} removed from the index")]
    private partial void LogReady(long elapsedMs, int documents, int reindexed, int removed);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Embedded {Chunks} chunks the vector index lacked")]
    private partial void LogEmbedded(int chunks);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Critical, Message = "Start-up failed; the API answers 503")]
    private partial void LogFailed(Exception exception);
}
