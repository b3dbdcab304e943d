using Hanlin.Core.Collections;
using Hanlin.Core.Errors;
using Hanlin.Core.Indexing;
using Hanlin.Core.Storage;
using Hanlin.Server.Contracts;
using Hanlin.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hanlin.Server.Endpoints;

/// <summary><c>/api/collections</c>: list, create, get and delete collections (by name or id).</summary>
internal static class CollectionsEndpoints
{
    public static RouteGroupBuilder MapCollectionsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/collections").WithTags("Collections");
        group.MapGet("/", ListAsync).WithSummary("List collections with document and chunk counts.");
        group.MapPost("/", CreateAsync).WithSummary("Create a collection.").WithMetadata(new RequiredRole(ApiRole.Admin));
        group.MapGet("/{collection}", GetAsync).WithSummary("Get a collection by name or id.");
        group.MapDelete("/{collection}", DeleteAsync).WithSummary("Delete a collection with its documents and chunks.").WithMetadata(new RequiredRole(ApiRole.Admin));
        return api;
    }

    private static async Task<Ok<CollectionResponse[]>> ListAsync(ApiCaller caller, IKnowledgeStore store, CancellationToken cancellationToken)
    {
        var collections = await store.ListCollectionsAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(collections.Where(caller.CanUse).Select(c => c.ToResponse()).ToArray());
    }

    private static async Task<Created<CollectionResponse>> CreateAsync(CreateCollectionRequest body, IKnowledgeStore store, CancellationToken cancellationToken)
    {
        var name = CollectionName.Validate(body.Name);
        if (await store.GetCollectionAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new HanlinException(ErrorCodes.CollectionExists, $"A collection named '{name}' already exists.");
        }

        var created = await store.CreateCollectionAsync(name, body.Description, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/collections/{Uri.EscapeDataString(created.Name)}", created.ToResponse());
    }

    private static async Task<Ok<CollectionResponse>> GetAsync(string collection, ApiCaller caller, IKnowledgeStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(caller.Demand(await RequireAsync(store, collection, cancellationToken).ConfigureAwait(false)).ToResponse());

    private static async Task<NoContent> DeleteAsync(string collection, ApiCaller caller, IKnowledgeStore store, IChunkIndex index, CancellationToken cancellationToken)
    {
        var found = caller.Demand(await RequireAsync(store, collection, cancellationToken).ConfigureAwait(false));
        await store.DeleteCollectionAsync(found.Id, cancellationToken).ConfigureAwait(false);

        // Storage first: if the index update is lost, start-up synchronisation removes the orphans.
        await index.RemoveCollectionAsync(found.Id, CancellationToken.None).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    internal static async Task<Collection> RequireAsync(IKnowledgeStore store, string nameOrId, CancellationToken cancellationToken) =>
        await store.GetCollectionAsync(nameOrId, cancellationToken).ConfigureAwait(false)
        ?? throw new HanlinException(ErrorCodes.CollectionNotFound, $"There is no collection named '{nameOrId}'.");
}
