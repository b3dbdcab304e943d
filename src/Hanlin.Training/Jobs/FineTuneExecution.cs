namespace Hanlin.Training.Jobs;

/// <summary>Everything an <see cref="IFineTuneExecutor"/> gets for one job.</summary>
/// <param name="Job">The job, in status <c>running</c>.</param>
/// <param name="TrainingFile">The validated training file.</param>
/// <param name="ValidationFile">The validated validation file, if any.</param>
/// <param name="RunDirectory">The job's own directory (created), for checkpoints, metrics and the trained adapter.</param>
/// <param name="Reporter">Where events, step metrics and checkpoints are recorded.</param>
public sealed record FineTuneExecution(FineTuneJob Job, FineTuneFile TrainingFile, FineTuneFile? ValidationFile, string RunDirectory, IFineTuneReporter Reporter);
