namespace Hanlin.Training.FineTuning;

/// <summary>A progress report of a fine-tuning run, after each optimiser step and each evaluation.</summary>
/// <param name="Step">Optimiser steps taken (over all stages).</param>
/// <param name="TotalSteps">Steps the run takes when not stopped early.</param>
/// <param name="Epoch">Passes over the training data so far (fractional).</param>
/// <param name="Stage">Name of the current stage.</param>
/// <param name="TrainLoss">The step's training loss; null on an evaluation report.</param>
/// <param name="ValidationLoss">The evaluation's loss; null on a step report.</param>
/// <param name="LearningRate">The step's learning rate; null on an evaluation report.</param>
/// <param name="TokensPerSecond">Input tokens processed per second in the step; null on an evaluation report.</param>
/// <param name="EstimatedRemaining">Time to the last step at the run's mean step time so far.</param>
public sealed record TrainingProgress(
    int Step,
    int TotalSteps,
    double Epoch,
    string Stage,
    double? TrainLoss,
    double? ValidationLoss,
    double? LearningRate,
    double? TokensPerSecond,
    TimeSpan? EstimatedRemaining);
