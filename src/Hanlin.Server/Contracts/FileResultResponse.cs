namespace Hanlin.Server.Contracts;

/// <summary>What happened to one file of a job (<c>ingested</c>, <c>unchanged</c>, <c>duplicate</c> or <c>failed</c>).</summary>
public sealed record FileResultResponse(
    string Path,
    string Outcome,
    string? DocumentId,
    int? Version,
    string? MediaType,
    long SizeBytes,
    int Chunks,
    int DroppedChunks,
    IReadOnlyList<int> PagesNeedingOcr,
    string? ErrorCode,
    string? ErrorMessage);
