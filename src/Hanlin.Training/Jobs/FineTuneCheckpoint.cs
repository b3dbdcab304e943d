namespace Hanlin.Training.Jobs;

/// <summary>A checkpoint a job wrote (OpenAI's <c>fine_tuning.job.checkpoint</c>).</summary>
/// <param name="Id">The checkpoint id, <c>ftckpt-…</c>.</param>
/// <param name="JobId">The job that wrote it.</param>
/// <param name="Step">The optimiser step it was taken after.</param>
/// <param name="MetricsJson">A JSON object of the metrics at that step (train and validation loss…).</param>
/// <param name="Directory">Where its files are.</param>
/// <param name="CreatedAt">When it was written.</param>
public sealed record FineTuneCheckpoint(string Id, string JobId, long Step, string MetricsJson, string Directory, DateTimeOffset CreatedAt);
