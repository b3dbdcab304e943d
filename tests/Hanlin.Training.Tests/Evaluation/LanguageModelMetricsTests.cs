using Hanlin.Training.Evaluation;

namespace Hanlin.Training.Tests.Evaluation;

public sealed class LanguageModelMetricsTests
{
    [Fact]
    public void Perplexity_is_exp_of_the_mean_negative_log_likelihood()
    {
        // Token probabilities 1/2 and 1/4: mean NLL ln(sqrt(8)), perplexity sqrt(8).
        Assert.Equal(Math.Sqrt(8), LanguageModelMetrics.Perplexity([Math.Log(2), Math.Log(4)]), 12);
        Assert.Equal(1, LanguageModelMetrics.PerplexityFromMeanLoss(0));
    }

    [Fact]
    public void A_uniform_model_over_v_tokens_has_perplexity_v()
    {
        var nll = Enumerable.Repeat(Math.Log(32000), 7).ToArray();
        Assert.Equal(32000, LanguageModelMetrics.Perplexity(nll), 6);
    }

    [Fact]
    public void Token_accuracy_skips_ignored_positions()
    {
        Assert.Equal(2.0 / 3, LanguageModelMetrics.TokenAccuracy([1, 2, 3, 4], [1, 2, 0, -100]), 12);
        Assert.True(double.IsNaN(LanguageModelMetrics.TokenAccuracy([1], [-100])));
    }

    [Fact]
    public void Misaligned_or_empty_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LanguageModelMetrics.TokenAccuracy([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => LanguageModelMetrics.Perplexity([]));
    }
}
