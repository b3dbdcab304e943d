namespace Hanlin.Server.Contracts;

/// <summary>A document (its current version) as the API shows it.</summary>
public sealed record DocumentResponse(
    string Id,
    string CollectionId,
    string Name,
    string MediaType,
    long SizeBytes,
    string Sha256,
    int Version,
    string Status,
    int ChunkCount,
    int? PageCount,
    string? Title,
    string? LastErrorCode,
    string? LastErrorMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
