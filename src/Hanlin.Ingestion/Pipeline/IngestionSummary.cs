using Hanlin.Core.Ingestion;

namespace Hanlin.Ingestion.Pipeline;

/// <summary>Counts of a finished job, by outcome.</summary>
public sealed record IngestionSummary(int Files, int Ingested, int Unchanged, int Duplicates, int Failed, int Chunks, int DroppedChunks, long Bytes)
{
    public static IngestionSummary From(IReadOnlyList<FileResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return new IngestionSummary(
            results.Count,
            results.Count(r => r.Outcome == FileOutcome.Ingested),
            results.Count(r => r.Outcome == FileOutcome.Unchanged),
            results.Count(r => r.Outcome == FileOutcome.Duplicate),
            results.Count(r => r.Outcome == FileOutcome.Failed),
            results.Where(r => r.Outcome == FileOutcome.Ingested).Sum(r => r.Chunks),
            results.Sum(r => r.DroppedChunks.Count),
            results.Sum(r => r.SizeBytes));
    }
}
