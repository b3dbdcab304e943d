using System.Text.Json.Serialization;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// Where a run stands, saved as <c>state.json</c> in each checkpoint beside the weights, the optimiser state and the
/// generator state: enough to resume the run exactly.
/// </summary>
public sealed record CheckpointState
{
    /// <summary>Version of the checkpoint layout.</summary>
    [JsonPropertyName("format_version")]
    public int FormatVersion { get; init; } = 1;

    /// <summary>Optimiser steps taken over all stages.</summary>
    [JsonPropertyName("global_step")]
    public int GlobalStep { get; init; }

    /// <summary>The stage the next step belongs to (0-based).</summary>
    [JsonPropertyName("stage_index")]
    public int StageIndex { get; init; }

    /// <summary>Steps already taken in that stage (the scheduler's position).</summary>
    [JsonPropertyName("step_in_stage")]
    public int StepInStage { get; init; }

    /// <summary>Micro-batches consumed since the start: the data position (epoch and index follow from it).</summary>
    [JsonPropertyName("micro_batches_consumed")]
    public long MicroBatchesConsumed { get; init; }

    /// <summary>The data position's epoch (0-based), for people reading the file.</summary>
    [JsonPropertyName("epoch")]
    public long Epoch { get; init; }

    /// <summary>The data position's micro-batch index within <see cref="Epoch"/>.</summary>
    [JsonPropertyName("index")]
    public long Index { get; init; }

    /// <summary>The best validation loss so far, if any evaluation ran.</summary>
    [JsonPropertyName("best_val_loss")]
    public double? BestValidationLoss { get; init; }

    /// <summary>The step of <see cref="BestValidationLoss"/>; its checkpoint is kept.</summary>
    [JsonPropertyName("best_step")]
    public int? BestStep { get; init; }

    /// <summary>Evaluations since the last improvement (early stopping's counter).</summary>
    [JsonPropertyName("evaluations_without_improvement")]
    public int EvaluationsWithoutImprovement { get; init; }

    /// <summary>The last training loss (token-weighted mean of the step).</summary>
    [JsonPropertyName("train_loss")]
    public double? TrainLoss { get; init; }

    /// <summary>Every evaluation so far.</summary>
    [JsonPropertyName("evaluations")]
    public IReadOnlyList<EvaluationResult> Evaluations { get; init; } = [];

    /// <summary>Length in bytes of <c>metrics.jsonl</c> when the checkpoint was written; a resumed run cuts the log back to it.</summary>
    [JsonPropertyName("metrics_length")]
    public long MetricsLength { get; init; }

    /// <summary>True once the run finished (all stages, or stopped early).</summary>
    [JsonPropertyName("completed")]
    public bool Completed { get; init; }

    /// <summary>True when early stopping ended the run.</summary>
    [JsonPropertyName("stopped_early")]
    public bool StoppedEarly { get; init; }

    /// <summary>The options of the run, serialised; a run directory resumes only with the same options.</summary>
    [JsonPropertyName("options")]
    public string Options { get; init; } = "";
}
