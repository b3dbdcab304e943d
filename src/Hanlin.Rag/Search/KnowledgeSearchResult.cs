using Hanlin.Retrieval;

namespace Hanlin.Rag.Search;

/// <summary>The hits of a search, best first, the mode actually used and an optional notice (e.g. "BM25 only").</summary>
public sealed record KnowledgeSearchResult(IReadOnlyList<KnowledgeSearchHit> Hits, RetrievalMode ModeUsed, string? Notice);
