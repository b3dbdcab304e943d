namespace Hanlin.Training.Search;

/// <summary>Whether a lower or a higher validation metric is better.</summary>
public enum MetricGoal
{
    /// <summary>Lower is better (losses, perplexity).</summary>
    Minimize,

    /// <summary>Higher is better (accuracy, BLEU, F1).</summary>
    Maximize,
}
