namespace Hanlin.Training.FineTuning;

/// <summary>What a finished fine-tuning run produced.</summary>
/// <param name="RunDirectory">The run directory (checkpoints, metrics.jsonl, output).</param>
/// <param name="OutputDirectory">The trained result saved by <see cref="ITrainableModel.SaveTrained"/> (the best weights when evaluation ran and <see cref="FineTuneOptions.RestoreBestAtEnd"/>).</param>
/// <param name="Steps">Optimiser steps taken.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="ResumedFromStep">The checkpoint step this run resumed from, or null for a fresh start.</param>
/// <param name="FinalTrainLoss">Loss of the last step.</param>
/// <param name="BestValidationLoss">Best validation loss, or null without a validation split.</param>
/// <param name="BestStep">Step of the best validation loss.</param>
/// <param name="StoppedEarly">True when early stopping ended the run.</param>
/// <param name="Evaluations">Every evaluation, in order.</param>
public sealed record FineTuneResult(
    string RunDirectory,
    string OutputDirectory,
    int Steps,
    int TotalSteps,
    int? ResumedFromStep,
    double? FinalTrainLoss,
    double? BestValidationLoss,
    int? BestStep,
    bool StoppedEarly,
    IReadOnlyList<EvaluationResult> Evaluations);
