namespace Hanlin.Training.Datasets;

/// <summary>
/// One example as token ids for a particular model. <see cref="Labels"/> follows the Hugging Face convention: aligned
/// with <see cref="InputIds"/>, the id where the token is learnt (assistant turns, or every token of plain text) and
/// <see cref="Evaluation.LanguageModelMetrics.IgnoreIndex"/> elsewhere; the shift (logits at i predict token i + 1)
/// happens in the loss.
/// </summary>
/// <param name="InputIds">The rendered example's token ids, cut to the model's context.</param>
/// <param name="Labels">Target ids or the ignore index, one per input id.</param>
/// <param name="PromptIds">The ids before the last assistant turn (what a model is given to write that answer), or null for plain text.</param>
/// <param name="ReferenceAnswer">The last assistant turn's text, or null for plain text.</param>
/// <param name="Truncated">True when the rendered example was longer than the context and its end was cut off.</param>
public sealed record EncodedConversation(int[] InputIds, long[] Labels, int[]? PromptIds, string? ReferenceAnswer, bool Truncated)
{
    /// <summary>Number of positions whose token is learnt (not counting position 0, which nothing predicts).</summary>
    public int TargetCount => Labels.Skip(1).Count(l => l != Evaluation.LanguageModelMetrics.IgnoreIndex);
}
