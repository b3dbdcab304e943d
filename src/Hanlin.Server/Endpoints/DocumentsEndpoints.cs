using Hanlin.Core.Errors;
using Hanlin.Core.Indexing;
using Hanlin.Core.Storage;
using Hanlin.Server.Contracts;
using Hanlin.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hanlin.Server.Endpoints;

/// <summary><c>/api/documents</c>: list (optionally by collection), get, delete, and a document's chunks.</summary>
internal static class DocumentsEndpoints
{
    public static RouteGroupBuilder MapDocumentsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/documents").WithTags("Documents");
        group.MapGet("/", ListAsync).WithSummary("List documents, optionally of one collection (?collection=name-or-id).");
        group.MapGet("/{id}", GetAsync).WithSummary("Get a document's current version.");
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a document with its versions and chunks.").WithMetadata(new RequiredRole(ApiRole.Write));
        group.MapGet("/{id}/chunks", ChunksAsync).WithSummary("The chunks of a document's current version, in order.");
        api.MapGet("/collections/{collection}/documents", ListInCollectionAsync).WithTags("Documents").WithSummary("List the documents of a collection.");
        return api;
    }

    private static async Task<Ok<DocumentResponse[]>> ListAsync(string? collection, ApiCaller caller, IKnowledgeStore store, CancellationToken cancellationToken)
    {
        string? collectionId = null;
        if (!string.IsNullOrEmpty(collection))
        {
            collectionId = caller.Demand(await CollectionsEndpoints.RequireAsync(store, collection, cancellationToken).ConfigureAwait(false)).Id;
        }

        var documents = await store.ListDocumentsAsync(collectionId, cancellationToken).ConfigureAwait(false);
        var allowed = collectionId is null ? await caller.AllowedIdsAsync(store, cancellationToken).ConfigureAwait(false) : null;
        return TypedResults.Ok(documents.Where(d => allowed is null || allowed.Contains(d.CollectionId)).Select(d => d.ToResponse()).ToArray());
    }

    private static Task<Ok<DocumentResponse[]>> ListInCollectionAsync(string collection, ApiCaller caller, IKnowledgeStore store, CancellationToken cancellationToken) =>
        ListAsync(collection, caller, store, cancellationToken);

    private static async Task<Ok<DocumentResponse>> GetAsync(string id, ApiCaller caller, IKnowledgeStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await RequireAsync(store, id, caller, cancellationToken).ConfigureAwait(false)).ToResponse());

    private static async Task<NoContent> DeleteAsync(string id, ApiCaller caller, IKnowledgeStore store, IChunkIndex index, CancellationToken cancellationToken)
    {
        await RequireAsync(store, id, caller, cancellationToken).ConfigureAwait(false);
        if (!await store.DeleteDocumentAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw NotFound(id);
        }

        // Storage first: if the index update is lost, start-up synchronisation removes the orphans.
        await index.RemoveDocumentAsync(id, CancellationToken.None).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ChunkResponse[]>> ChunksAsync(string id, ApiCaller caller, IKnowledgeStore store, CancellationToken cancellationToken)
    {
        await RequireAsync(store, id, caller, cancellationToken).ConfigureAwait(false);
        var chunks = await store.GetChunksAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(chunks.Select(c => c.ToResponse()).ToArray());
    }

    private static async Task<Core.Documents.Document> RequireAsync(IKnowledgeStore store, string id, ApiCaller caller, CancellationToken cancellationToken)
    {
        var document = await store.GetDocumentAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        await caller.DemandAsync(store, document.CollectionId, cancellationToken).ConfigureAwait(false);
        return document;
    }

    private static HanlinException NotFound(string id) => new(ErrorCodes.DocumentNotFound, $"There is no document '{id}'.");
}
