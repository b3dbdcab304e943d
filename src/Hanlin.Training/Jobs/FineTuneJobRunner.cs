using Hanlin.Core.Errors;
using Hanlin.Training.Datasets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hanlin.Training.Jobs;

/// <summary>
/// Moves fine-tuning jobs through their lifecycle: validates their files, hands them to the
/// <see cref="IFineTuneExecutor"/> one at a time, and records the outcome. A cancellation asked for through the store
/// (by this process or another) stops the running job within <see cref="CancellationPollInterval"/>; a host shutting
/// down puts the running job back in the queue, and it resumes from its last checkpoint on the next start.
/// </summary>
public sealed partial class FineTuneJobRunner
{
    private static readonly FineTuneJobStatus[] Pending = [FineTuneJobStatus.ValidatingFiles, FineTuneJobStatus.Queued];
    private readonly FineTuneStore _store;
    private readonly IFineTuneExecutor _executor;
    private readonly ILogger _logger;

    /// <summary>Creates a runner over <paramref name="store"/> that trains with <paramref name="executor"/>.</summary>
    public FineTuneJobRunner(FineTuneStore store, IFineTuneExecutor executor, ILogger<FineTuneJobRunner>? logger = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
        _logger = logger ?? NullLogger<FineTuneJobRunner>.Instance;
    }

    /// <summary>How often a running job's cancellation flag is read from the store.</summary>
    public TimeSpan CancellationPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Processes waiting jobs, oldest first, until none is left; returns how many were processed.</summary>
    public async Task<int> RunPendingAsync(CancellationToken cancellationToken = default)
    {
        var processed = 0;
        while (await _store.NextPendingJobAsync(cancellationToken).ConfigureAwait(false) is { } job)
        {
            await RunAsync(job, cancellationToken).ConfigureAwait(false);
            processed++;
        }

        return processed;
    }

    /// <summary>Processes job <paramref name="jobId"/> now (the CLI's way) and returns it in its final or re-queued state.</summary>
    /// <exception cref="HanlinException"><c>job_not_found</c>.</exception>
    public async Task<FineTuneJob> RunJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var job = await _store.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (!job.IsFinal)
        {
            await RunAsync(job, cancellationToken).ConfigureAwait(false);
        }

        return await _store.GetJobAsync(jobId, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RunAsync(FineTuneJob job, CancellationToken cancellationToken)
    {
        var id = job.Id;
        FineTuneFile training;
        FineTuneFile? validation = null;
        if (job.Status == FineTuneJobStatus.ValidatingFiles)
        {
            try
            {
                training = await _store.GetFileAsync(job.TrainingFileId, cancellationToken).ConfigureAwait(false);
                await ValidateAsync(id, training, "training", cancellationToken).ConfigureAwait(false);
                if (job.ValidationFileId is { } validationId)
                {
                    validation = await _store.GetFileAsync(validationId, cancellationToken).ConfigureAwait(false);
                    await ValidateAsync(id, validation, "validation", cancellationToken).ConfigureAwait(false);
                }
            }
            catch (HanlinException ex)
            {
                await _store.FailAsync(id, ex.Code, ex.Message, CancellationToken.None).ConfigureAwait(false);
                await _store.AddEventAsync(id, "error", "message", $"Validation failed: {ex.Message}", null, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            if (!await _store.TransitionAsync(id, [FineTuneJobStatus.ValidatingFiles], FineTuneJobStatus.Queued, cancellationToken).ConfigureAwait(false))
            {
                return; // cancelled while validating
            }

            await _store.AddEventAsync(id, "info", "message", "Files validated; the job is queued.", null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            training = await _store.GetFileAsync(job.TrainingFileId, cancellationToken).ConfigureAwait(false);
            validation = job.ValidationFileId is { } validationId ? await _store.GetFileAsync(validationId, cancellationToken).ConfigureAwait(false) : null;
        }

        if (!await _store.TransitionAsync(id, Pending, FineTuneJobStatus.Running, cancellationToken).ConfigureAwait(false))
        {
            return; // cancelled, or taken by another runner
        }

        var runDirectory = _store.RunDirectory(id);
        Directory.CreateDirectory(runDirectory);
        await _store.AddEventAsync(id, "info", "message", "Fine-tuning started.", null, cancellationToken).ConfigureAwait(false);
        LogStarted(id, job.Model);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchForCancellationAsync(id, cancel);
        try
        {
            var running = await _store.GetJobAsync(id, cancellationToken).ConfigureAwait(false);
            var outcome = await _executor.ExecuteAsync(
                new FineTuneExecution(running, training, validation, runDirectory, new StoreFineTuneReporter(_store, id)), cancel.Token).ConfigureAwait(false);
            await _store.SucceedAsync(id, outcome.FineTunedModel, outcome.TrainedTokens, CancellationToken.None).ConfigureAwait(false);
            await _store.AddEventAsync(id, "info", "message", $"The job succeeded: model '{outcome.FineTunedModel}', {outcome.TrainedTokens:N0} tokens trained.", null, CancellationToken.None).ConfigureAwait(false);
            LogFinished(id, "succeeded");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the job is not the user's to lose; it resumes from its last checkpoint next time.
            await _store.TransitionAsync(id, [FineTuneJobStatus.Running], FineTuneJobStatus.Queued, CancellationToken.None).ConfigureAwait(false);
            await _store.AddEventAsync(id, "warn", "message", "Paused because the process is stopping; the job resumes from its last checkpoint.", null, CancellationToken.None).ConfigureAwait(false);
            LogFinished(id, "paused");
            throw;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await _store.TransitionAsync(id, [FineTuneJobStatus.Running], FineTuneJobStatus.Cancelled, CancellationToken.None).ConfigureAwait(false);
            await _store.AddEventAsync(id, "info", "message", "The job was cancelled; its checkpoints are kept.", null, CancellationToken.None).ConfigureAwait(false);
            LogFinished(id, "cancelled");
        }
        catch (HanlinException ex)
        {
            await FailAsync(id, ex.Code, ex.Message).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A trainer fault must fail its job, never the host that runs other jobs.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCrashed(ex, id);
            await FailAsync(id, ErrorCodes.Internal, $"Training failed unexpectedly: {ex.Message}").ConfigureAwait(false);
        }
        finally
        {
            await cancel.CancelAsync().ConfigureAwait(false);
            await watcher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task FailAsync(string id, string code, string message)
    {
        await _store.FailAsync(id, code, message, CancellationToken.None).ConfigureAwait(false);
        await _store.AddEventAsync(id, "error", "message", $"The job failed: {message}", null, CancellationToken.None).ConfigureAwait(false);
        LogFinished(id, "failed");
    }

    private async Task ValidateAsync(string jobId, FineTuneFile file, string role, CancellationToken cancellationToken)
    {
        var dataset = await DatasetReader.ReadAsync(file.Path, new DatasetReadOptions(), cancellationToken).ConfigureAwait(false);
        var summary = $"The {role} file '{file.FileName}' ({file.Id}) has {dataset.Examples.Count:N0} usable examples in {dataset.Format} format";
        if (dataset.Problems.Count == 0)
        {
            await _store.AddEventAsync(jobId, "info", "message", summary + ".", null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var first = string.Join("; ", dataset.Problems.Take(5));
        await _store.AddEventAsync(jobId, "warn", "message", $"{summary}; {dataset.RefusedLines:N0} lines were left out ({first}).", null, cancellationToken).ConfigureAwait(false);
    }

    private async Task WatchForCancellationAsync(string jobId, CancellationTokenSource cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            await Task.Delay(CancellationPollInterval, cancel.Token).ConfigureAwait(false);
            var job = await _store.GetJobAsync(jobId, cancel.Token).ConfigureAwait(false);
            if (job.CancelRequested)
            {
                await cancel.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fine-tuning job {JobId} started on base model {Model}")]
    private partial void LogStarted(string jobId, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fine-tuning job {JobId} {Outcome}")]
    private partial void LogFinished(string jobId, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fine-tuning job {JobId} crashed")]
    private partial void LogCrashed(Exception exception, string jobId);
}
