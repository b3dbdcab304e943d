using Hanlin.Core.Storage;
using Hanlin.Rag.Search;
using Hanlin.Server.Contracts;
using Hanlin.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hanlin.Server.Endpoints;

/// <summary><c>POST /api/search</c>: hybrid (or BM25/vector) search with provenance and optional explanations.</summary>
internal static class SearchEndpoints
{
    public static RouteGroupBuilder MapSearchEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/search", SearchAsync).WithTags("Search").WithSummary("Search chunks; each hit names its document, pages and section.");
        return api;
    }

    private static async Task<Ok<SearchResponse>> SearchAsync(SearchRequestBody body, ApiCaller caller, IKnowledgeStore store, IKnowledgeSearch search, CancellationToken cancellationToken)
    {
        var query = RequestFilters.ValidateQuestion(body.Query, KnowledgeSearch.MaxQueryLength, "query");
        var topK = RequestFilters.ValidateTopK(body.TopK, 10);
        var mode = RequestFilters.ParseMode(body.Mode);
        var filter = await RequestFilters.ResolveAsync(store, caller, body.Collections, body.Filters, cancellationToken).ConfigureAwait(false);
        var result = await search.SearchAsync(new KnowledgeSearchRequest(query) { Filter = filter, TopK = topK, Mode = mode }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SearchResponse([.. result.Hits.Select(h => h.ToResponse(body.Explain))], ContractMapper.Name(result.ModeUsed), result.Notice));
    }
}
