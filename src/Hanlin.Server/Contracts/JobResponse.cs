namespace Hanlin.Server.Contracts;

/// <summary>
/// An ingestion job: <c>queued</c> or <c>running</c> while it works, then <c>succeeded</c>, <c>partially_failed</c>,
/// <c>failed</c>, <c>cancelled</c> or <c>interrupted</c>, with one result per file once each file is done.
/// </summary>
public sealed record JobResponse(
    string Id,
    string? Collection,
    string Status,
    int TotalFiles,
    int DoneFiles,
    string? CurrentFile,
    string? IngestionJobId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<FileResultResponse> Files);
