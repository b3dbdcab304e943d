using Hanlin.Server.Contracts;

namespace Hanlin.Server.OpenAi;

/// <summary>
/// An OpenAI <c>chat.completion</c>. <see cref="Citations"/> is Hanlin's extra field (also on the message), null for
/// pass-through models; clients that do not know it ignore it.
/// </summary>
public sealed record ChatCompletionResponse(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<ChatChoice> Choices,
    ChatUsage? Usage,
    IReadOnlyList<CitationResponse>? Citations);
