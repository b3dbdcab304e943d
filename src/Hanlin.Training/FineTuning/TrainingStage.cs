namespace Hanlin.Training.FineTuning;

/// <summary>
/// One stage of a multi-stage schedule. Unset values take the job's (<see cref="FineTuneOptions"/>); each stage has its
/// own warm-up and decay, and the optimiser's moments carry over from the stage before.
/// </summary>
public sealed record TrainingStage
{
    /// <summary>A name for logs and metrics; <c>stage-N</c> when null.</summary>
    public string? Name { get; init; }

    /// <summary>Peak learning rate.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Passes over the training data.</summary>
    public int? Epochs { get; init; }

    /// <summary>Optimiser steps; overrides <see cref="Epochs"/> when set.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Steps of linear warm-up from zero to the peak.</summary>
    public int? WarmupSteps { get; init; }

    /// <summary>Decay after warm-up.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Decoupled weight decay.</summary>
    public double? WeightDecay { get; init; }
}
