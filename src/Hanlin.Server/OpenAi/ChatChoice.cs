namespace Hanlin.Server.OpenAi;

/// <summary>One choice of a completion.</summary>
public sealed record ChatChoice(int Index, ChatMessageResponse Message, string FinishReason);
