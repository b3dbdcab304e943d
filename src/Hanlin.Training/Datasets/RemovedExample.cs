namespace Hanlin.Training.Datasets;

/// <summary>One example <see cref="DatasetCleaner"/> removed.</summary>
/// <param name="LineNumber">The removed example's 1-based source line.</param>
/// <param name="Reason">Why it was removed.</param>
/// <param name="DuplicateOfLine">For duplicates, the line of the earlier example that was kept.</param>
/// <param name="Detail">A sentence for people, e.g. "SimHash 2 bits from line 14".</param>
public sealed record RemovedExample(int LineNumber, RemovalReason Reason, int? DuplicateOfLine, string Detail);
