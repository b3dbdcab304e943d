namespace Hanlin.Server.Contracts;

/// <summary>Body of <c>POST /api/ask</c>; <see cref="Stream"/> (or <c>Accept: text/event-stream</c>) asks for SSE.</summary>
public sealed record AskRequestBody(
    string? Question,
    IReadOnlyList<string>? Collections,
    SearchFilters? Filters,
    int? TopK,
    string? Mode,
    IReadOnlyList<TurnBody>? History,
    string? Language,
    bool Stream);
