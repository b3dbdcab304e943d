using Hanlin.Server.Contracts;

namespace Hanlin.Server.OpenAi;

/// <summary>The assistant message, with Hanlin's structured citations.</summary>
public sealed record ChatMessageResponse(string Role, string Content, IReadOnlyList<CitationResponse>? Citations);
