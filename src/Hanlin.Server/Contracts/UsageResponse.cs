namespace Hanlin.Server.Contracts;

/// <summary>Token counts of an answer.</summary>
public sealed record UsageResponse(int InputTokens, int OutputTokens, int TotalTokens);
