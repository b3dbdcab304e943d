namespace Hanlin.Training.Search;

/// <summary>How a <see cref="HyperparameterSearch"/> runs.</summary>
public sealed record SearchOptions
{
    /// <summary>How trials are proposed.</summary>
    public SearchStrategy Strategy { get; init; } = SearchStrategy.Random;

    /// <summary>Most trials to run (a grid stops at this many combinations too).</summary>
    public int MaxTrials { get; init; } = 10;

    /// <summary>Seed of random and TPE proposals: the same seed (and the same trial results) gives the same trials.</summary>
    public int Seed { get; init; }

    /// <summary>Whether the metric is minimised or maximised.</summary>
    public MetricGoal Goal { get; init; } = MetricGoal.Minimize;

    /// <summary>Name of the metric (for the log and reports), e.g. <c>val_loss</c>.</summary>
    public string MetricName { get; init; } = "val_loss";

    /// <summary>Stop the search after this many completed trials in a row that do not improve on the best; null never stops early.</summary>
    public int? Patience { get; init; }

    /// <summary>The JSON file every trial is recorded to as it ends; an existing log of the same search is resumed. Null keeps no log.</summary>
    public string? LogPath { get; init; }

    /// <summary>TPE: random trials before the estimator takes over.</summary>
    public int TpeStartupTrials { get; init; } = 5;

    /// <summary>TPE: share of completed trials counted as good (at least one).</summary>
    public double TpeGamma { get; init; } = 0.25;

    /// <summary>TPE: candidates drawn from the good trials' density per proposal.</summary>
    public int TpeCandidates { get; init; } = 24;
}
