namespace Hanlin.Training.Evaluation;

/// <summary>What <see cref="ModelEvaluator"/> measured on a dataset.</summary>
/// <param name="Examples">Examples evaluated.</param>
/// <param name="TargetTokens">Tokens scored with teacher forcing (assistant tokens, or all tokens of plain text).</param>
/// <param name="MeanLoss">Mean cross-entropy per target token, in nats.</param>
/// <param name="Perplexity">exp(<paramref name="MeanLoss"/>).</param>
/// <param name="TokenAccuracy">Share of target tokens that are the model's argmax prediction, 0 to 1.</param>
/// <param name="TruncatedExamples">Conversations longer than the model's context, scored on their first part only (longer plain text is scored whole, in windows, as training reads it).</param>
/// <param name="Generation">Scores of generated answers, or null when none were generated (plain text, or generation off).</param>
/// <param name="Samples">The first generated answers, for reading.</param>
public sealed record ModelEvaluationResult(
    int Examples,
    long TargetTokens,
    double MeanLoss,
    double Perplexity,
    double TokenAccuracy,
    int TruncatedExamples,
    GenerationMetrics? Generation,
    IReadOnlyList<GeneratedAnswer> Samples);
