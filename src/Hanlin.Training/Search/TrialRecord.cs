namespace Hanlin.Training.Search;

/// <summary>One trial as the search log keeps it.</summary>
/// <param name="Number">0-based position in the search; the same number always gets the same parameters for a seed.</param>
/// <param name="Parameters">The hyperparameters tried.</param>
/// <param name="Status">How the trial ended.</param>
/// <param name="Metric">The validation metric, or null when the trial failed.</param>
/// <param name="Metrics">Other figures the trial reported.</param>
/// <param name="Artifact">The trial's output location, if it reported one.</param>
/// <param name="Error">Why the trial failed, or null.</param>
/// <param name="StartedAt">When the trial started.</param>
/// <param name="DurationSeconds">Wall-clock seconds the trial took.</param>
public sealed record TrialRecord(
    int Number,
    TrialParameters Parameters,
    TrialStatus Status,
    double? Metric,
    IReadOnlyDictionary<string, double>? Metrics,
    string? Artifact,
    string? Error,
    DateTimeOffset StartedAt,
    double DurationSeconds);
