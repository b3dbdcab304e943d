using System.Globalization;
using Hanlin.Core.Errors;

namespace Hanlin.Training.Search;

/// <summary>
/// The hyperparameters a search may try: a learning-rate interval searched on a log scale, and lists of ranks,
/// alphas and epoch counts.
/// </summary>
public sealed record SearchSpace
{
    /// <summary>Smallest learning rate (inclusive, positive).</summary>
    public double LearningRateMin { get; init; } = 1e-5;

    /// <summary>Largest learning rate (inclusive).</summary>
    public double LearningRateMax { get; init; } = 1e-3;

    /// <summary>How many log-spaced learning rates a grid tries between the bounds (1 tries the geometric mean).</summary>
    public int LearningRateSteps { get; init; } = 3;

    /// <summary>LoRA ranks to try.</summary>
    public IReadOnlyList<int> Ranks { get; init; } = [8];

    /// <summary>LoRA alphas to try.</summary>
    public IReadOnlyList<double> Alphas { get; init; } = [16];

    /// <summary>Epoch counts to try.</summary>
    public IReadOnlyList<int> Epochs { get; init; } = [1];

    /// <summary>The grid's learning rates, ascending, evenly spaced in log scale.</summary>
    public IReadOnlyList<double> GridLearningRates()
    {
        if (LearningRateSteps == 1)
        {
            return [Math.Sqrt(LearningRateMin * LearningRateMax)];
        }

        var low = Math.Log(LearningRateMin);
        var step = (Math.Log(LearningRateMax) - low) / (LearningRateSteps - 1);
        return [.. Enumerable.Range(0, LearningRateSteps).Select(i => i == LearningRateSteps - 1 ? LearningRateMax : Math.Exp(low + (step * i)))];
    }

    /// <summary>Checks the bounds and lists.</summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> naming the first bad setting.</exception>
    public void Validate()
    {
        if (!(LearningRateMin > 0) || !(LearningRateMax >= LearningRateMin) || !double.IsFinite(LearningRateMax))
        {
            throw Invalid($"the learning-rate range [{LearningRateMin}, {LearningRateMax}] must be positive and ordered");
        }

        if (LearningRateSteps < 1)
        {
            throw Invalid($"learning-rate steps must be at least 1, not {LearningRateSteps}");
        }

        if (Ranks.Count == 0 || Ranks.Any(r => r < 1))
        {
            throw Invalid("ranks must be a non-empty list of positive numbers");
        }

        if (Alphas.Count == 0 || Alphas.Any(a => !(a > 0) || !double.IsFinite(a)))
        {
            throw Invalid("alphas must be a non-empty list of positive numbers");
        }

        if (Epochs.Count == 0 || Epochs.Any(e => e < 1))
        {
            throw Invalid("epochs must be a non-empty list of positive numbers");
        }
    }

    /// <summary>A stable text of the space, stored in the search log so a resumed search can tell it is the same search.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"lr=[{LearningRateMin:R},{LearningRateMax:R}]x{LearningRateSteps};r={string.Join(',', Ranks)};alpha={string.Join(',', Alphas.Select(a => a.ToString("R", CultureInfo.InvariantCulture)))};epochs={string.Join(',', Epochs)}");

    private static HanlinException Invalid(string problem) => new(ErrorCodes.InvalidArgument, $"The search space is invalid: {problem}.");
}
