namespace Hanlin.Server.Contracts;

/// <summary>Hits best first, the retrieval mode actually used and a notice such as "BM25 only".</summary>
public sealed record SearchResponse(IReadOnlyList<SearchHitResponse> Hits, string Mode, string? Notice);
