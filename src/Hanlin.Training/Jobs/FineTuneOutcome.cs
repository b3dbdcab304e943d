namespace Hanlin.Training.Jobs;

/// <summary>What a successful training run produced.</summary>
/// <param name="FineTunedModel">The name under which the model is registered and served.</param>
/// <param name="TrainedTokens">Tokens trained on, over all epochs.</param>
public sealed record FineTuneOutcome(string FineTunedModel, long TrainedTokens);
