using System.Text.Json;

namespace Hanlin.Server.FineTuning;

/// <summary>
/// The body of <c>POST /v1/fine_tuning/jobs</c>. Hyperparameters come from <c>hyperparameters</c> (OpenAI's older
/// place) or <c>method.supervised.hyperparameters</c>; besides OpenAI's <c>n_epochs</c>, <c>batch_size</c> and
/// <c>learning_rate_multiplier</c>, Hanlin reads its LoRA settings from the same object (<c>lora_rank</c>,
/// <c>lora_alpha</c>, <c>learning_rate</c>, … — see docs/api.md).
/// </summary>
public sealed record CreateFineTuningJobRequest(
    string? Model,
    string? TrainingFile,
    string? ValidationFile,
    string? Suffix,
    long? Seed,
    JsonElement? Hyperparameters,
    JsonElement? Method);
