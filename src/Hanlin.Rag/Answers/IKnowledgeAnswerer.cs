namespace Hanlin.Rag.Answers;

/// <summary>Answers questions from the knowledge base with verified, numbered citations, or refuses.</summary>
public interface IKnowledgeAnswerer
{
    /// <summary>Retrieves evidence, answers (generated or extracted), verifies and returns the whole answer.</summary>
    Task<RagAnswer> AskAsync(AskRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same as <see cref="AskAsync"/>, streamed: sources first, then text deltas, then the completed answer.
    /// Cancelling <paramref name="cancellationToken"/> (a client that went away) stops retrieval and generation.
    /// </summary>
    IAsyncEnumerable<AnswerUpdate> AskStreamingAsync(AskRequest request, CancellationToken cancellationToken = default);
}
