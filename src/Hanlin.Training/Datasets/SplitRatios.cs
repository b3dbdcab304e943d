using Hanlin.Core.Errors;

namespace Hanlin.Training.Datasets;

/// <summary>Relative sizes of the train, validation and test parts; normalised, so 8:1:1 and 0.8:0.1:0.1 are the same.</summary>
public sealed record SplitRatios
{
    /// <summary>Creates ratios; each must be non-negative and their sum positive.</summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> for a negative, non-finite or all-zero ratio.</exception>
    public SplitRatios(double train, double validation, double test)
    {
        if (!(double.IsFinite(train) && double.IsFinite(validation) && double.IsFinite(test)) || train < 0 || validation < 0 || test < 0 || train + validation + test <= 0)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Split ratios must be non-negative with a positive sum; got train {train}, validation {validation}, test {test}.");
        }

        var sum = train + validation + test;
        Train = train / sum;
        Validation = validation / sum;
        Test = test / sum;
    }

    /// <summary>80% train, 10% validation, 10% test.</summary>
    public static SplitRatios Default { get; } = new(0.8, 0.1, 0.1);

    /// <summary>Share of train, 0 to 1.</summary>
    public double Train { get; }

    /// <summary>Share of validation, 0 to 1.</summary>
    public double Validation { get; }

    /// <summary>Share of test, 0 to 1.</summary>
    public double Test { get; }
}
