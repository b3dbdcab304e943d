namespace Hanlin.Server.OpenAi;

/// <summary>One embedding, in input order: an array of floats, or with <c>encoding_format: base64</c> the little-endian float32 bytes in base64.</summary>
public sealed record EmbeddingItem(string Object, int Index, object Embedding);
