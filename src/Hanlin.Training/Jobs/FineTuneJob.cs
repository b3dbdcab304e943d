namespace Hanlin.Training.Jobs;

/// <summary>A fine-tuning job as stored (OpenAI's <c>fine_tuning.job</c>).</summary>
/// <param name="Id">The job id, <c>ftjob-…</c>.</param>
/// <param name="Model">The base model: a registry name or id, or a model path.</param>
/// <param name="TrainingFileId">The uploaded training file.</param>
/// <param name="ValidationFileId">The uploaded validation file, if any.</param>
/// <param name="Suffix">Up to 64 characters added to the fine-tuned model's name.</param>
/// <param name="Seed">The seed that makes the run reproducible.</param>
/// <param name="HyperparametersJson">The hyperparameters as a JSON object (OpenAI's names plus Hanlin's LoRA settings).</param>
/// <param name="Status">Where the job is.</param>
/// <param name="ErrorCode">Stable error code when failed.</param>
/// <param name="ErrorMessage">Human sentence when failed.</param>
/// <param name="FineTunedModel">The name of the resulting model once succeeded.</param>
/// <param name="TrainedTokens">Tokens trained on (billable tokens in OpenAI's terms), once known.</param>
/// <param name="CancelRequested">A cancellation was asked for while it ran.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="StartedAt">When training began.</param>
/// <param name="FinishedAt">When it reached a final status.</param>
public sealed record FineTuneJob(
    string Id,
    string Model,
    string TrainingFileId,
    string? ValidationFileId,
    string? Suffix,
    long Seed,
    string HyperparametersJson,
    FineTuneJobStatus Status,
    string? ErrorCode,
    string? ErrorMessage,
    string? FineTunedModel,
    long? TrainedTokens,
    bool CancelRequested,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>Succeeded, failed or cancelled: nothing more will happen to it.</summary>
    public bool IsFinal => Status is FineTuneJobStatus.Succeeded or FineTuneJobStatus.Failed or FineTuneJobStatus.Cancelled;
}
