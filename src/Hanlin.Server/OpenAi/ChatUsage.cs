namespace Hanlin.Server.OpenAi;

/// <summary>OpenAI token usage.</summary>
public sealed record ChatUsage(int PromptTokens, int CompletionTokens, int TotalTokens);
