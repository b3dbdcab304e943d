using Hanlin.Core.Collections;
using Hanlin.Core.Errors;
using Hanlin.Core.Storage;
using Hanlin.Server.Errors;

namespace Hanlin.Server.Security;

/// <summary>Checks an <see cref="ApiCaller"/>'s collections where an endpoint learns which collection a request touches.</summary>
internal static class CollectionAccess
{
    /// <summary>Returns <paramref name="collection"/> when the caller may use it; otherwise 403 <c>collection_forbidden</c>.</summary>
    public static Collection Demand(this ApiCaller caller, Collection collection) =>
        caller.CanUse(collection)
            ? collection
            : throw new HanlinException(ServerErrorCodes.CollectionForbidden, $"The API key '{caller.Name}' may not use the collection '{collection.Name}'.");

    /// <summary>Checks the collection with id <paramref name="collectionId"/> (a document's or a job's); a vanished one passes, as there is nothing left to protect.</summary>
    public static async Task DemandAsync(this ApiCaller caller, IKnowledgeStore store, string collectionId, CancellationToken cancellationToken)
    {
        if (caller.AllCollections)
        {
            return;
        }

        if (await store.FindCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false) is { } collection)
        {
            caller.Demand(collection);
        }
    }

    /// <summary>Ids of the collections the caller may use, or null for all: the restriction retrieval applies to every search.</summary>
    public static async Task<IReadOnlyList<string>?> AllowedIdsAsync(this ApiCaller caller, IKnowledgeStore store, CancellationToken cancellationToken)
    {
        if (caller.AllCollections)
        {
            return null;
        }

        var collections = await store.FindCollectionsAsync(cancellationToken).ConfigureAwait(false);
        return [.. collections.Where(caller.CanUse).Select(c => c.Id)];
    }
}
