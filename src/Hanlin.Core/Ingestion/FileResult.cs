namespace Hanlin.Core.Ingestion;

/// <summary>
/// The per-file outcome of a job. <see cref="DocumentId"/> is the stored document, or for a
/// <see cref="FileOutcome.Duplicate"/> the document it duplicates. Error fields are set only on failure.
/// </summary>
public sealed record FileResult(
    string Path,
    FileOutcome Outcome,
    string? DocumentId,
    int? Version,
    string? MediaType,
    long SizeBytes,
    int Chunks,
    IReadOnlyList<DroppedChunk> DroppedChunks,
    IReadOnlyList<int> PagesNeedingOcr,
    string? ErrorCode,
    string? ErrorMessage);
