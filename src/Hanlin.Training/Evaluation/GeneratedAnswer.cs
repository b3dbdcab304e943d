namespace Hanlin.Training.Evaluation;

/// <summary>One generated answer beside its reference.</summary>
/// <param name="LineNumber">The example's line in the dataset file.</param>
/// <param name="Question">The last user turn the answer replies to.</param>
/// <param name="Reference">The dataset's answer.</param>
/// <param name="Prediction">What the model wrote (special tokens removed, trimmed).</param>
public sealed record GeneratedAnswer(int LineNumber, string Question, string Reference, string Prediction);
