using System.Text.Json;

namespace Hanlin.Server.OpenAi;

/// <summary>A chat message; <see cref="Content"/> is a string or an array of parts (only <c>text</c> parts are read).</summary>
public sealed record ChatMessageBody(string? Role, JsonElement Content)
{
    /// <summary>The message's text: the string content, or its text parts joined.</summary>
    public string Text => Content.ValueKind switch
    {
        JsonValueKind.String => Content.GetString() ?? string.Empty,
        JsonValueKind.Array => string.Concat(Content.EnumerateArray()
            .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(p => p.GetProperty("text").GetString())),
        _ => string.Empty,
    };
}
