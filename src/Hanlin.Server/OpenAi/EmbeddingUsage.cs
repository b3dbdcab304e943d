namespace Hanlin.Server.OpenAi;

/// <summary>Token usage of an embeddings request.</summary>
public sealed record EmbeddingUsage(int PromptTokens, int TotalTokens);
