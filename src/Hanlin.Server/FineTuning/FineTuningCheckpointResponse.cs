using System.Text.Json;

namespace Hanlin.Server.FineTuning;

/// <summary>OpenAI's <c>fine_tuning.job.checkpoint</c> object.</summary>
public sealed record FineTuningCheckpointResponse(
    string Id,
    string Object,
    long CreatedAt,
    string FineTunedModelCheckpoint,
    long StepNumber,
    JsonElement Metrics,
    string FineTuningJobId);
