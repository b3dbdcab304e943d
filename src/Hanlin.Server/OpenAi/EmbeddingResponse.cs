namespace Hanlin.Server.OpenAi;

/// <summary>OpenAI embeddings response.</summary>
public sealed record EmbeddingResponse(string Object, IReadOnlyList<EmbeddingItem> Data, string Model, EmbeddingUsage Usage);
