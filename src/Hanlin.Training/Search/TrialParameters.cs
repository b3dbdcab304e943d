using System.Globalization;

namespace Hanlin.Training.Search;

/// <summary>One point of a <see cref="SearchSpace"/>: the hyperparameters a trial trains with.</summary>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="Rank">LoRA rank r.</param>
/// <param name="Alpha">LoRA alpha (the update is scaled by alpha / r, or alpha / sqrt(r) with rsLoRA).</param>
/// <param name="Epochs">Passes over the training split.</param>
public sealed record TrialParameters(double LearningRate, int Rank, double Alpha, int Epochs)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"lr={LearningRate:G3} r={Rank} alpha={Alpha:G4} epochs={Epochs}");
}
