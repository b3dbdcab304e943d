using System.Text.Json.Serialization;

namespace Hanlin.Training.Reports;

/// <summary>
/// One line of a training run's <c>metrics.jsonl</c>: <c>{"step":int,"epoch":float,"train_loss":float|null,
/// "val_loss":float|null,"lr":float|null,"tokens_per_second":float|null,"timestamp":"ISO-8601"}</c>. Losses are mean
/// cross-entropy per target token in nats.
/// </summary>
/// <param name="Step">Optimiser step (1-based).</param>
/// <param name="Epoch">Epochs done, fractional within an epoch.</param>
/// <param name="TrainLoss">Training loss of the step (or of the steps since the last record); null when not logged.</param>
/// <param name="ValLoss">Validation loss when the step evaluated; else null.</param>
/// <param name="LearningRate">Learning rate used by the step.</param>
/// <param name="TokensPerSecond">Training throughput at the step.</param>
/// <param name="Timestamp">When the record was written.</param>
public sealed record TrainingMetricsRecord(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("epoch")] double Epoch,
    [property: JsonPropertyName("train_loss")] double? TrainLoss,
    [property: JsonPropertyName("val_loss")] double? ValLoss,
    [property: JsonPropertyName("lr")] double? LearningRate,
    [property: JsonPropertyName("tokens_per_second")] double? TokensPerSecond,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp);
