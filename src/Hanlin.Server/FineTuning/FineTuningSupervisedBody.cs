using System.Text.Json;

namespace Hanlin.Server.FineTuning;

/// <summary>The supervised method's hyperparameters.</summary>
public sealed record FineTuningSupervisedBody(JsonElement Hyperparameters);
