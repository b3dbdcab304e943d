namespace Hanlin.Rag.Answers;

/// <summary>An earlier turn of the conversation ("user" or "assistant"), used as context for the question.</summary>
public sealed record ConversationTurn(string Role, string Content);
