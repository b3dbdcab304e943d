namespace Hanlin.Training.Evaluation;

/// <summary>How <see cref="ModelEvaluator"/> evaluates a model on a dataset.</summary>
public sealed record ModelEvaluationOptions
{
    /// <summary>Evaluate only the first N examples; null for all.</summary>
    public int? MaxExamples { get; init; }

    /// <summary>Whether conversation examples also have their last answer generated and scored (BLEU, ROUGE, EM, F1).</summary>
    public bool Generate { get; init; } = true;

    /// <summary>Most tokens generated per answer (greedy).</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>How many generated answers the result keeps for reading (all are scored).</summary>
    public int SamplesKept { get; init; } = 20;
}
