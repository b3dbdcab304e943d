namespace Hanlin.Training.FineTuning;

/// <summary>One training sequence as token ids with its loss mask.</summary>
/// <param name="InputIds">The token ids.</param>
/// <param name="Labels">
/// Same length as <paramref name="InputIds"/>: the id where the model learns to produce that token, <see cref="Ignore"/> elsewhere
/// (prompt, system and user turns, template markup).
/// </param>
public sealed record EncodedExample(int[] InputIds, int[] Labels)
{
    /// <summary>The label value that takes no loss (PyTorch's <c>ignore_index</c>).</summary>
    public const int Ignore = -100;

    /// <summary>Tokens the loss is taken on: learnt labels after the first position (the first token has no context to predict it from).</summary>
    public int LabelTokens => Labels.Skip(1).Count(label => label != Ignore);
}
