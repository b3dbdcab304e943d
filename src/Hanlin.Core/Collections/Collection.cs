namespace Hanlin.Core.Collections;

/// <summary>A named set of documents that is searched and governed together.</summary>
public sealed record Collection(
    string Id,
    string Name,
    string? Description,
    DateTimeOffset CreatedAt,
    int DocumentCount = 0,
    long ChunkCount = 0);
