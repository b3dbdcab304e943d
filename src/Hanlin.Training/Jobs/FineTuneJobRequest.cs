namespace Hanlin.Training.Jobs;

/// <summary>What a client asks for when it creates a fine-tuning job.</summary>
/// <param name="Model">The base model: a registry name or id, or a model path the server can read.</param>
/// <param name="TrainingFileId">An uploaded file with purpose <c>fine-tune</c>.</param>
/// <param name="ValidationFileId">Optional uploaded validation file.</param>
/// <param name="Suffix">Optional, up to 64 characters of letters, digits, '-' and '_'.</param>
/// <param name="Seed">Optional seed; a random one is chosen and recorded when absent.</param>
/// <param name="HyperparametersJson">Optional JSON object of hyperparameters.</param>
public sealed record FineTuneJobRequest(
    string Model,
    string TrainingFileId,
    string? ValidationFileId = null,
    string? Suffix = null,
    long? Seed = null,
    string? HyperparametersJson = null);
