using Hanlin.Retrieval;

namespace Hanlin.Rag.Answers;

/// <summary>A question to answer from the knowledge base.</summary>
/// <param name="Question">The question (Chinese, English or mixed).</param>
public sealed record AskRequest(string Question)
{
    /// <summary>Collections, documents, tags and dates the evidence may come from.</summary>
    public SearchFilter Filter { get; init; } = SearchFilter.None;

    /// <summary>How many chunks to retrieve as candidate evidence.</summary>
    public int TopK { get; init; } = 8;

    /// <summary>Retrieval mode for the evidence.</summary>
    public RetrievalMode Mode { get; init; } = RetrievalMode.Hybrid;

    /// <summary>Earlier turns (oldest first); they give context, the question is what is answered.</summary>
    public IReadOnlyList<ConversationTurn> History { get; init; } = [];

    /// <summary>"zh" or "en" to force the answer language; null detects it from the question.</summary>
    public string? Language { get; init; }

    /// <summary>
    /// Name of the chat model to generate with; null uses the configured default, and with no chat model
    /// configured the built-in extractive answerer answers.
    /// </summary>
    public string? ChatModel { get; init; }
}
