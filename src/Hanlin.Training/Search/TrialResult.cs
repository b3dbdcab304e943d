namespace Hanlin.Training.Search;

/// <summary>What a trial reports back to the search.</summary>
/// <param name="Metric">The validation metric the search optimises (e.g. validation loss); must be finite.</param>
/// <param name="Metrics">Other figures worth keeping with the trial (perplexity, steps run, ...).</param>
/// <param name="Artifact">Where the trial's output lives (an adapter directory), if anywhere.</param>
public sealed record TrialResult(double Metric, IReadOnlyDictionary<string, double>? Metrics = null, string? Artifact = null);
