namespace Hanlin.Core.Documents;

/// <summary>
/// A source document in a collection, identified by its <see cref="SourceName"/> (the path relative to
/// what was ingested). Its content lives in versions; <see cref="Version"/> is the current one.
/// </summary>
public sealed record Document(
    string Id,
    string CollectionId,
    string SourceName,
    string MediaType,
    long SizeBytes,
    string Sha256,
    int Version,
    string CurrentVersionId,
    DocumentStatus Status,
    int ChunkCount,
    int? PageCount,
    string? Title,
    string? LastErrorCode,
    string? LastErrorMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
