namespace Hanlin.Rag.Search;

/// <summary>Searches the knowledge base and returns hits hydrated from storage (text and provenance).</summary>
public interface IKnowledgeSearch
{
    /// <summary>Runs <paramref name="request"/>; hits whose chunk vanished from storage meanwhile are dropped.</summary>
    Task<KnowledgeSearchResult> SearchAsync(KnowledgeSearchRequest request, CancellationToken cancellationToken = default);
}
