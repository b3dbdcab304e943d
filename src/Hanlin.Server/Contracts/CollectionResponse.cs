namespace Hanlin.Server.Contracts;

/// <summary>A collection as the API shows it.</summary>
public sealed record CollectionResponse(string Id, string Name, string? Description, DateTimeOffset CreatedAt, int DocumentCount, long ChunkCount);
