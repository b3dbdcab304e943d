namespace Hanlin.Training.Evaluation;

/// <summary>Settings of <c>Bleu.Corpus</c>; the defaults are sacrebleu's.</summary>
public sealed record BleuOptions
{
    /// <summary>Smoothing of orders without a match.</summary>
    public BleuSmoothing Smoothing { get; init; } = BleuSmoothing.Exponential;

    /// <summary>The value of <see cref="BleuSmoothing.Floor"/> (default 0.1) or <see cref="BleuSmoothing.AddK"/> (default 1); null for the default.</summary>
    public double? SmoothValue { get; init; }

    /// <summary>Tokenisation of hypotheses and references.</summary>
    public BleuTokenization Tokenization { get; init; } = BleuTokenization.Auto;

    /// <summary>Lower-case before tokenising (sacrebleu <c>-lc</c>); off by default.</summary>
    public bool Lowercase { get; init; }
}
