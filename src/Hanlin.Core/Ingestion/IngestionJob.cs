namespace Hanlin.Core.Ingestion;

/// <summary>An ingestion run over a set of files, with progress counters.</summary>
public sealed record IngestionJob(
    string Id,
    string CollectionId,
    IngestionJobStatus Status,
    int TotalFiles,
    int DoneFiles,
    long TotalBytes,
    long DoneBytes,
    string? CurrentFile,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt);
