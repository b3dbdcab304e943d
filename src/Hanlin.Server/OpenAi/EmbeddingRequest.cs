using System.Text.Json;

namespace Hanlin.Server.OpenAi;

/// <summary>OpenAI embeddings request: <see cref="Input"/> is a string or an array of strings.</summary>
public sealed record EmbeddingRequest(string? Model, JsonElement Input, string? EncodingFormat);
