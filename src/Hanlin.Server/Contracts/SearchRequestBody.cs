namespace Hanlin.Server.Contracts;

/// <summary>Body of <c>POST /api/search</c>.</summary>
/// <param name="Query">What to look for.</param>
/// <param name="Collections">Collection names or ids; null or absent searches all.</param>
/// <param name="Filters">Further restrictions.</param>
/// <param name="TopK">Hits wanted, 1-100 (default 10).</param>
/// <param name="Mode"><c>bm25</c>, <c>vector</c> or <c>hybrid</c> (default).</param>
/// <param name="Explain">Include each hit's BM25/vector/fused scores and ranks.</param>
public sealed record SearchRequestBody(
    string? Query,
    IReadOnlyList<string>? Collections,
    SearchFilters? Filters,
    int? TopK,
    string? Mode,
    bool Explain);
