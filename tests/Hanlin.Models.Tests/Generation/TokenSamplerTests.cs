using Hanlin.Models.Generation;

namespace Hanlin.Models.Tests.Generation;

public sealed class TokenSamplerTests
{
    [Fact]
    public void Greedy_picks_the_first_maximum()
    {
        var sampler = new TokenSampler(new GenerationOptions());
        Assert.Equal(1, sampler.Next([0f, 3f, 3f, 1f]));
    }

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_logits_of_seen_tokens()
    {
        var sampler = new TokenSampler(new GenerationOptions { RepetitionPenalty = 2f });
        sampler.ObservePrompt([0, 2]);
        float[] logits = [4f, 3f, -1f, -1.5f];

        Assert.Equal(1, sampler.Next(logits));
        Assert.Equal([2f, 3f, -2f, -1.5f], logits);
    }

    [Fact]
    public void Presence_and_frequency_penalties_apply_to_generated_tokens_only()
    {
        var sampler = new TokenSampler(new GenerationOptions { PresencePenalty = 0.5f, FrequencyPenalty = 0.25f });
        sampler.ObservePrompt([1]);
        sampler.ObserveGenerated(0);
        sampler.ObserveGenerated(0);
        float[] logits = [2f, 2f, 0f];

        Assert.Equal(1, sampler.Next(logits));
        Assert.Equal([1f, 2f, 0f], logits);
    }

    [Fact]
    public void Min_p_removes_tokens_far_below_the_most_likely_one()
    {
        // p(0) ≈ 0.99, p(1) ≈ 0.01: with min-p 0.05 token 1 can never be drawn.
        var sampler = new TokenSampler(new GenerationOptions { Temperature = 1f, MinP = 0.05f, Seed = 1 });
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(0, sampler.Next([5f, 0.4f]));
        }
    }

    [Fact]
    public void Sampling_without_min_p_sometimes_draws_the_unlikely_token()
    {
        var sampler = new TokenSampler(new GenerationOptions { Temperature = 1f, Seed = 1 });
        var draws = Enumerable.Range(0, 2000).Select(_ => sampler.Next([5f, 0.4f])).ToList();
        Assert.Contains(1, draws);
    }

    [Fact]
    public void Top_k_keeps_the_k_best_with_lower_ids_first_on_ties()
    {
        var sampler = new TokenSampler(new GenerationOptions { Temperature = 1f, TopK = 2, Seed = 3 });
        var draws = Enumerable.Range(0, 300).Select(_ => sampler.Next([1f, 5f, 5f, 5f])).ToHashSet();
        Assert.Equal([1, 2], draws.Order());
    }

    [Fact]
    public void Out_of_range_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GenerationOptions { MinP = 1f }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GenerationOptions { RepetitionPenalty = 0f }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GenerationOptions { PresencePenalty = 3f }.Validate());
    }
}
