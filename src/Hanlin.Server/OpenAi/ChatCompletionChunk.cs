using Hanlin.Server.Contracts;

namespace Hanlin.Server.OpenAi;

/// <summary>One <c>chat.completion.chunk</c> of a streamed completion; the last one carries the citations.</summary>
public sealed record ChatCompletionChunk(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<ChunkChoice> Choices,
    ChatUsage? Usage,
    IReadOnlyList<CitationResponse>? Citations);
