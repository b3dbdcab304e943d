namespace Hanlin.Server.OpenAi;

/// <summary>The piece of the message this chunk adds.</summary>
public sealed record ChunkDelta(string? Role, string? Content);
