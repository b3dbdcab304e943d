using Hanlin.Core.Documents;

namespace Hanlin.Core.Indexing;

/// <summary>
/// A search index kept in step with storage: ingestion replaces a document's chunks after its storage
/// transaction commits, deletions remove them. Storage is the source of truth; an index that missed an
/// update (a crash between the two commits) is repaired from storage by its owner on start.
/// </summary>
public interface IChunkIndex
{
    /// <summary>Replaces every indexed chunk of <paramref name="document"/> with <paramref name="chunks"/> (its current version).</summary>
    Task ReplaceDocumentAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default);

    Task RemoveDocumentAsync(string documentId, CancellationToken cancellationToken = default);

    Task RemoveCollectionAsync(string collectionId, CancellationToken cancellationToken = default);
}
