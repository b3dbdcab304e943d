namespace Hanlin.Training.Datasets;

/// <summary>The result of <see cref="DatasetCleaner.Clean"/>.</summary>
/// <param name="Kept">The examples kept, in input order.</param>
/// <param name="Removed">Every removed example with its reason, in input order.</param>
public sealed record CleaningReport(IReadOnlyList<TrainingExample> Kept, IReadOnlyList<RemovedExample> Removed)
{
    /// <summary>How many examples were removed for <paramref name="reason"/>.</summary>
    public int Count(RemovalReason reason) => Removed.Count(r => r.Reason == reason);

    /// <summary>Removed counts per reason (reasons with none are included as 0).</summary>
    public IReadOnlyDictionary<RemovalReason, int> CountsByReason() =>
        Enum.GetValues<RemovalReason>().ToDictionary(r => r, Count);
}
