namespace Hanlin.Rag.Answers;

/// <summary>Token counts of an answer: evidence and prompt tokens in, answer tokens out.</summary>
public sealed record AnswerUsage(int InputTokens, int OutputTokens)
{
    /// <summary>Input plus output tokens.</summary>
    public int TotalTokens => InputTokens + OutputTokens;
}
