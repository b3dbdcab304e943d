namespace Hanlin.Training.Benchmarks;

/// <summary>Perplexities before and after LoRA adaptation to the pharmacy domain.</summary>
/// <param name="DomainPerplexityBefore">Held-out pharmacy texts, base model.</param>
/// <param name="DomainPerplexityAfter">Held-out pharmacy texts, with the adapter.</param>
/// <param name="StoryPerplexityBefore">Held-out stories (the model's own domain), base model.</param>
/// <param name="StoryPerplexityAfter">Held-out stories, with the adapter.</param>
/// <param name="Steps">Optimiser steps trained.</param>
/// <param name="TrainingSeconds">Wall time of training.</param>
/// <param name="TrainPassages">Pharmacy passages trained on.</param>
/// <param name="HeldOutPassages">Pharmacy passages held out.</param>
/// <param name="Stories">Stories held out.</param>
/// <param name="TrainTokens">Tokens in the training sequences.</param>
public sealed record DomainAdaptationResult(
    double DomainPerplexityBefore,
    double DomainPerplexityAfter,
    double StoryPerplexityBefore,
    double StoryPerplexityAfter,
    int Steps,
    double TrainingSeconds,
    int TrainPassages,
    int HeldOutPassages,
    int Stories,
    long TrainTokens)
{
    /// <summary>Relative change of the domain perplexity (-0.3 is 30% lower).</summary>
    public double DomainChange => (DomainPerplexityAfter / DomainPerplexityBefore) - 1;

    /// <summary>Relative change of the story perplexity (+0.1 is 10% higher).</summary>
    public double StoryChange => (StoryPerplexityAfter / StoryPerplexityBefore) - 1;

    /// <summary>The demonstration's target: domain at least 30% lower, stories less than 10% higher.</summary>
    public bool MeetsTarget => DomainChange <= -0.30 && StoryChange < 0.10;
}
