namespace Hanlin.Training.Jobs;

/// <summary>
/// Trains one validated job: the seam between the job lifecycle (<see cref="FineTuneJobRunner"/>) and a trainer, so the
/// same jobs can be run in process (LoRA on TorchSharp) or handed to another engine.
/// </summary>
public interface IFineTuneExecutor
{
    /// <summary>
    /// Trains <paramref name="execution"/>'s job, resuming from the last checkpoint in its run directory when there is one,
    /// reporting events and checkpoints as it goes; returns the registered model.
    /// </summary>
    /// <exception cref="Core.Errors.HanlinException">A failure the job records with its code and sentence.</exception>
    /// <exception cref="OperationCanceledException">The job was cancelled; the last checkpoint stays.</exception>
    Task<FineTuneOutcome> ExecuteAsync(FineTuneExecution execution, CancellationToken cancellationToken = default);
}
