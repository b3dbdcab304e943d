using System.Text.Json.Serialization;

namespace Hanlin.Training.FineTuning;

/// <summary>One evaluation on the validation split.</summary>
/// <param name="Step">The optimiser step after which it ran.</param>
/// <param name="Loss">Token-weighted mean cross-entropy (nats per token).</param>
public sealed record EvaluationResult(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("val_loss")] double Loss)
{
    /// <summary>Perplexity, exp(<see cref="Loss"/>).</summary>
    [JsonIgnore]
    public double Perplexity => Math.Exp(Loss);
}
