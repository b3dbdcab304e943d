using System.Collections.Concurrent;
using System.Threading.Channels;
using Hanlin.Core.Errors;
using Hanlin.Core.Ingestion;
using Hanlin.Ingestion.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanlin.Server.Uploads;

/// <summary>
/// The background ingestion queue: uploads are accepted at once and ingested one job at a time (storage commits
/// and the index writer are sequential anyway), in arrival order. Jobs are remembered in memory for status
/// queries; the finished job is also in storage under its ingestion job id. Stopping the host cancels the job in work.
/// </summary>
internal sealed partial class UploadQueue : BackgroundService
{
    // Finished jobs kept for status queries before the oldest are forgotten (they stay in storage).
    private const int RememberedJobs = 1000;

    private readonly Channel<UploadJob> _channel = Channel.CreateUnbounded<UploadJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, UploadJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly IngestionJobRunner _runner;
    private readonly Hosting.ServerReadiness _readiness;
    private readonly ILogger<UploadQueue> _logger;

    public UploadQueue(IngestionJobRunner runner, Hosting.ServerReadiness readiness, ILogger<UploadQueue> logger)
    {
        _runner = runner;
        _readiness = readiness;
        _logger = logger;
    }

    public UploadJob Enqueue(UploadJob job)
    {
        _jobs[job.Id] = job;
        _order.Enqueue(job.Id);
        while (_order.Count > RememberedJobs && _order.TryDequeue(out var old))
        {
            _jobs.TryRemove(old, out _);
        }

        if (!_channel.Writer.TryWrite(job))
        {
            throw new HanlinException(ErrorCodes.Internal, "The ingestion queue is closed; the server is shutting down.");
        }

        return job;
    }

    public UploadJob? Find(string id) => _jobs.GetValueOrDefault(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _readiness.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Start-up failed: jobs that arrive are failed below as their runner calls fail.
        }

        await foreach (var job in _channel.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            await RunOneAsync(job, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunOneAsync(UploadJob job, CancellationToken stoppingToken)
    {
        try
        {
            var result = await _runner.RunAsync(job.Collection, job.Sources, null, job, stoppingToken).ConfigureAwait(false);
            job.Complete(result);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            job.Fail(IngestionJobStatus.Cancelled, ErrorCodes.Cancelled, "The server stopped before the file was ingested.");
        }
        catch (HanlinException ex)
        {
            job.Fail(IngestionJobStatus.Failed, ex.Code, ex.Message);
        }
        catch (Exception ex)
        {
            // Job boundary: one broken job must not stop the queue; it is recorded and logged.
            LogJobCrashed(ex, job.Id);
            job.Fail(IngestionJobStatus.Failed, ErrorCodes.Internal, "The ingestion job failed unexpectedly; the server log has the details.");
        }
        finally
        {
            TryDelete(job.WorkDirectory);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover upload folder under tmp/ is harmless and removed with the next cleanup.
        }
    }

    [LoggerMessage(EventId = 5200, Level = LogLevel.Error, Message = "Upload job {JobId} failed unexpectedly")]
    private partial void LogJobCrashed(Exception exception, string jobId);
}
