using Hanlin.Core.Documents;

namespace Hanlin.Core.Indexing;

/// <summary>
/// A search index kept in step with storage: ingestion replaces a document's chunks after its storage
/// transaction commits, deletions remove them. Storage is the source of truth; an index that missed an
/// update (a crash between the two commits) is repaired from storage by its owner on start.
/// </summary>
/// <remarks>
/// An index may apply <see cref="ReplaceDocumentAsync"/> in the background (batched, off the ingestion path);
/// callers that promise searchability (the end of an ingestion job) await <see cref="WaitForIndexedAsync"/>.
/// Removals are applied before their call returns.
/// </remarks>
public interface IChunkIndex
{
    /// <summary>Replaces every indexed chunk of <paramref name="document"/> with <paramref name="chunks"/> (its current version).</summary>
    Task ReplaceDocumentAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default);

    Task RemoveDocumentAsync(string documentId, CancellationToken cancellationToken = default);

    Task RemoveCollectionAsync(string collectionId, CancellationToken cancellationToken = default);

    /// <summary>Completes once every change requested before the call is searchable (immediately for an index that applies changes inline).</summary>
    Task WaitForIndexedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
