namespace Hanlin.Server.OpenAi;

/// <summary>One embedding, in input order.</summary>
public sealed record EmbeddingItem(string Object, int Index, float[] Embedding);
