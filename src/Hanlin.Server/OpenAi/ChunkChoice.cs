namespace Hanlin.Server.OpenAi;

/// <summary>A streamed choice: a delta and, on the last content chunk, the finish reason.</summary>
public sealed record ChunkChoice(int Index, ChunkDelta Delta, string? FinishReason);
