using Hanlin.Training.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanlin.Server.FineTuning;

/// <summary>
/// Trains queued fine-tuning jobs in the background, one at a time, with the registered <see cref="IFineTuneExecutor"/>.
/// On start it re-queues jobs a previous process left running (they resume from their checkpoints); it wakes when a
/// job is created and otherwise looks for work every few seconds (a job created by the CLI in another process).
/// The executor is the in-process LoRA trainer unless the host registers another; without one, jobs wait in the queue and
/// the start-up log says so.
/// </summary>
internal sealed partial class FineTuningJobService(FineTuneStore store, IServiceProvider services, ILogger<FineTuningJobService> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Asks the service to look for work now.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke it first; one wake-up is enough.
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the host's starting thread at once, so opening the job store never delays Kestrel.
        await Task.Yield();
        var executor = services.GetService<IFineTuneExecutor>();
        if (executor is null)
        {
            LogNoTrainer();
            return;
        }

        var runner = new FineTuneJobRunner(store, executor, services.GetService<ILogger<FineTuneJobRunner>>());
        try
        {
            var requeued = await store.RecoverInterruptedJobsAsync(stoppingToken).ConfigureAwait(false);
            if (requeued > 0)
            {
                LogRequeued(requeued);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await runner.RunPendingAsync(stoppingToken).ConfigureAwait(false);
                await _wake.WaitAsync(PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the runner has put a running job back in the queue.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No trainer is configured: fine-tuning jobs are validated and then wait in the queue")]
    private partial void LogNoTrainer();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} fine-tuning job(s) interrupted by the last shutdown were queued again")]
    private partial void LogRequeued(int count);
}
