namespace Hanlin.Training.FineTuning;

/// <summary>A stage with every value decided (see <see cref="FineTuneOptions.ResolveStages"/>).</summary>
/// <param name="Name">Name for logs.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="Epochs">Passes over the data, used when <paramref name="MaxSteps"/> is null.</param>
/// <param name="MaxSteps">Optimiser steps, or null to derive them from <paramref name="Epochs"/>.</param>
/// <param name="WarmupSteps">Linear warm-up steps.</param>
/// <param name="Schedule">Decay after warm-up.</param>
/// <param name="WeightDecay">Decoupled weight decay.</param>
public sealed record ResolvedStage(string Name, double LearningRate, int Epochs, int? MaxSteps, int WarmupSteps, LearningRateSchedule Schedule, double WeightDecay)
{
    /// <summary>Optimiser steps of this stage for a dataset of <paramref name="microBatchesPerEpoch"/> micro-batches.</summary>
    public int Steps(int microBatchesPerEpoch, int accumulation) =>
        MaxSteps ?? (int)Math.Ceiling((double)Epochs * microBatchesPerEpoch / accumulation);

    /// <summary>The learning rate of the 0-based step <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    /// <remarks>
    /// Warm-up rises linearly as (step+1)/(warmup+1), so no step is wasted at a rate of 0; the decay then runs from the peak
    /// at step <c>warmup</c> towards 0 at <paramref name="totalSteps"/>.
    /// </remarks>
    public double LearningRateAt(int step, int totalSteps)
    {
        if (step < WarmupSteps)
        {
            return LearningRate * (step + 1) / (WarmupSteps + 1);
        }

        var decaySteps = Math.Max(1, totalSteps - WarmupSteps);
        var progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        return Schedule switch
        {
            LearningRateSchedule.Linear => LearningRate * (1 - progress),
            LearningRateSchedule.Cosine => LearningRate * 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => LearningRate,
        };
    }
}
