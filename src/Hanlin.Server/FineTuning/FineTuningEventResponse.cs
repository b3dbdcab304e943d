using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanlin.Server.FineTuning;

/// <summary>OpenAI's <c>fine_tuning.job.event</c> object.</summary>
public sealed record FineTuningEventResponse(
    string Id,
    string Object,
    long CreatedAt,
    string Level,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Data,
    string Type);
