namespace Hanlin.Training.Evaluation;

/// <summary>Metrics computed from a language model's per-token outputs.</summary>
public static class LanguageModelMetrics
{
    /// <summary>The label value that marks a position excluded from loss and accuracy (the PyTorch/Hugging Face convention).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>
    /// Perplexity, exp of the mean negative log-likelihood per token. <paramref name="negativeLogLikelihoods"/> are
    /// natural-log (nats) values of the target tokens, e.g. the unreduced cross-entropy of the evaluated positions.
    /// </summary>
    public static double Perplexity(ReadOnlySpan<double> negativeLogLikelihoods)
    {
        if (negativeLogLikelihoods.IsEmpty)
        {
            throw new ArgumentException("Perplexity needs at least one token.", nameof(negativeLogLikelihoods));
        }

        // Summed in double and divided once, so a long evaluation set does not lose precision to running means.
        var sum = 0.0;
        foreach (var nll in negativeLogLikelihoods)
        {
            sum += nll;
        }

        return PerplexityFromMeanLoss(sum / negativeLogLikelihoods.Length);
    }

    /// <summary>Perplexity from a token-weighted mean cross-entropy loss in nats (<c>exp(loss)</c>).</summary>
    public static double PerplexityFromMeanLoss(double meanNegativeLogLikelihood)
    {
        if (double.IsNaN(meanNegativeLogLikelihood) || meanNegativeLogLikelihood < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(meanNegativeLogLikelihood), meanNegativeLogLikelihood, "A mean negative log-likelihood is a non-negative number.");
        }

        return Math.Exp(meanNegativeLogLikelihood);
    }

    /// <summary>
    /// Fraction of positions whose predicted token id equals the target, over positions whose target is not
    /// <paramref name="ignoreIndex"/> (prompt tokens and padding). Returns NaN when every position is ignored.
    /// </summary>
    public static double TokenAccuracy(ReadOnlySpan<long> predicted, ReadOnlySpan<long> targets, long ignoreIndex = IgnoreIndex)
    {
        if (predicted.Length != targets.Length)
        {
            throw new ArgumentException($"{predicted.Length} predictions for {targets.Length} targets; they must be aligned.", nameof(predicted));
        }

        long correct = 0;
        long counted = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            if (targets[i] == ignoreIndex)
            {
                continue;
            }

            counted++;
            if (predicted[i] == targets[i])
            {
                correct++;
            }
        }

        return counted == 0 ? double.NaN : (double)correct / counted;
    }
}
