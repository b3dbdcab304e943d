namespace Hanlin.Training.FineTuning;

/// <summary>
/// One example encoded as training reads it, with what evaluation needs besides: the prompt a model is given to write
/// the last answer, and that answer's text to score a generation against.
/// </summary>
/// <param name="Sequences">The sequences training learns from: one for a conversation, one or more windows for plain text.</param>
/// <param name="PromptIds">
/// The ids a model is given to write the last assistant turn (with a chat template: the conversation before it rendered
/// with the generation prompt and tokenized as inference does), or null for plain text.
/// </param>
/// <param name="ReferenceAnswer">The last assistant turn's text, or null for plain text.</param>
/// <param name="Truncated">True when the end of a conversation was cut off at the maximum length (a longer document is windowed, not cut).</param>
public sealed record EncodedEvaluationExample(IReadOnlyList<EncodedExample> Sequences, int[]? PromptIds, string? ReferenceAnswer, bool Truncated);
