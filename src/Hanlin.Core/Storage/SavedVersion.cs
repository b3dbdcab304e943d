using Hanlin.Core.Documents;

namespace Hanlin.Core.Storage;

/// <summary>
/// What <see cref="IKnowledgeStore.SaveVersionAsync"/> committed: the document, its new current version and that
/// version's chunks with their stored ids, in ordinal order (what <see cref="IKnowledgeStore.GetChunksAsync"/> would
/// now return, without reading them back).
/// </summary>
public sealed record SavedVersion(Document Document, DocumentVersion Version, IReadOnlyList<Chunk> Chunks)
{
    /// <summary>Deconstructs into the document and its new version.</summary>
    public void Deconstruct(out Document document, out DocumentVersion version)
    {
        document = Document;
        version = Version;
    }
}
