using Hanlin.Core.Collections;
using Hanlin.Core.Errors;
using Hanlin.Core.Storage;
using Hanlin.Rag.Search;
using Hanlin.Retrieval;
using Hanlin.Server.Contracts;
using Hanlin.Server.Security;

namespace Hanlin.Server.Endpoints;

/// <summary>Validates and resolves the request-level restrictions shared by search and ask into a <see cref="SearchFilter"/>.</summary>
internal static class RequestFilters
{
    /// <summary>
    /// Collection names or ids (null or empty: all collections the caller may use) and filters; unknown collections
    /// are 404, collections the caller's key does not allow 403.
    /// </summary>
    public static async Task<SearchFilter> ResolveAsync(IKnowledgeStore store, ApiCaller caller, IReadOnlyList<string>? collections, SearchFilters? filters, CancellationToken cancellationToken)
    {
        List<string>? collectionIds = null;
        if (collections is { Count: > 0 })
        {
            collectionIds = new List<string>(collections.Count);
            foreach (var nameOrId in collections)
            {
                if (string.IsNullOrWhiteSpace(nameOrId))
                {
                    throw new HanlinException(ErrorCodes.InvalidArgument, "collections contains an empty name.");
                }

                var collection = await store.FindCollectionAsync(nameOrId, cancellationToken).ConfigureAwait(false)
                    ?? throw new HanlinException(ErrorCodes.CollectionNotFound, $"There is no collection named '{nameOrId}'.");
                collectionIds.Add(caller.Demand(collection).Id);
            }
        }

        return await FilterAsync(store, caller, collectionIds, filters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// As <see cref="ResolveAsync"/> for one collection the caller already looked up and authorised (a
    /// <c>kb:&lt;collection&gt;</c> chat), which is not looked up again.
    /// </summary>
    public static Task<SearchFilter> ResolveForCollectionAsync(IKnowledgeStore store, ApiCaller caller, Collection collection, SearchFilters? filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return FilterAsync(store, caller, [caller.Demand(collection).Id], filters, cancellationToken);
    }

    private static async Task<SearchFilter> FilterAsync(IKnowledgeStore store, ApiCaller caller, List<string>? collectionIds, SearchFilters? filters, CancellationToken cancellationToken)
    {
        if (filters?.DocumentIds is { } documents && documents.Any(string.IsNullOrWhiteSpace))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "filters.document_ids contains an empty id.");
        }

        if (filters?.Tags is { } tags && tags.Any(t => string.IsNullOrWhiteSpace(t.Key) || t.Value is null))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "filters.tags must map non-empty keys to string values.");
        }

        if (filters is { UpdatedFrom: { } from, UpdatedTo: { } to } && from > to)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"filters.updated_from ({from:O}) is after filters.updated_to ({to:O}).");
        }

        var filter = new SearchFilter
        {
            CollectionIds = collectionIds,
            DocumentIds = filters?.DocumentIds,
            Tags = filters?.Tags,
            UpdatedFrom = filters?.UpdatedFrom,
            UpdatedTo = filters?.UpdatedTo,
        };

        // The access-control hook: whatever was asked, retrieval only sees the caller's collections.
        return await caller.AllowedIdsAsync(store, cancellationToken).ConfigureAwait(false) is { } allowed
            ? filter.WithinCollections(allowed)
            : filter;
    }

    /// <summary>Parses <c>bm25</c>, <c>vector</c> or <c>hybrid</c> (null: hybrid).</summary>
    public static RetrievalMode ParseMode(string? mode) => mode?.ToLowerInvariant() switch
    {
        null or "" or "hybrid" => RetrievalMode.Hybrid,
        "bm25" => RetrievalMode.Bm25,
        "vector" => RetrievalMode.Vector,
        _ => throw new HanlinException(ErrorCodes.InvalidArgument, $"mode must be 'bm25', 'vector' or 'hybrid', not '{mode}'."),
    };

    /// <summary>Checks <paramref name="topK"/> is within 1..<see cref="KnowledgeSearch.MaxTopK"/>.</summary>
    public static int ValidateTopK(int? topK, int fallback)
    {
        var k = topK ?? fallback;
        return k is < 1 or > KnowledgeSearch.MaxTopK
            ? throw new HanlinException(ErrorCodes.InvalidArgument, $"top_k must be between 1 and {KnowledgeSearch.MaxTopK}, not {k}.")
            : k;
    }

    /// <summary>Checks a question is present and not longer than <paramref name="maxLength"/> characters.</summary>
    public static string ValidateQuestion(string? question, int maxLength, string field = "question")
    {
        if (string.IsNullOrWhiteSpace(question))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The {field} is empty.");
        }

        return question.Length > maxLength
            ? throw new HanlinException(ErrorCodes.InvalidArgument, $"The {field} is {question.Length} characters long; the limit is {maxLength}.")
            : question;
    }
}
