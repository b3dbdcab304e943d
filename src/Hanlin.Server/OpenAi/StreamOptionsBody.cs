namespace Hanlin.Server.OpenAi;

/// <summary><c>stream_options</c>: <c>include_usage</c> adds a last chunk with token counts and no choices.</summary>
public sealed record StreamOptionsBody(bool IncludeUsage);
