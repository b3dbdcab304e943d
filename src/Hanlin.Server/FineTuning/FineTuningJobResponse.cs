using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanlin.Server.FineTuning;

/// <summary>
/// OpenAI's <c>fine_tuning.job</c> object. The nullable fields OpenAI always sends (<c>error</c>, <c>fine_tuned_model</c>,
/// <c>finished_at</c>…) are written as <c>null</c> rather than left out, as the official clients expect.
/// </summary>
public sealed record FineTuningJobResponse(
    string Id,
    string Object,
    long CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? FinishedAt,
    string Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FineTunedModel,
    string OrganizationId,
    IReadOnlyList<string> ResultFiles,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ValidationFile,
    string TrainingFile,
    JsonElement Hyperparameters,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? TrainedTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] FineTuningErrorBody? Error,
    long Seed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? UserProvidedSuffix,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? EstimatedFinish,
    IReadOnlyList<object> Integrations,
    FineTuningMethodBody Method);
