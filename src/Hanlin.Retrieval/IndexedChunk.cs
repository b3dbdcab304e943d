using Hanlin.Core.Documents;

namespace Hanlin.Retrieval;

/// <summary>
/// What the retrieval indexes hold for one chunk: its text plus the provenance and metadata that
/// searches filter on. <see cref="Title"/> is the document title when known; <see cref="Tags"/> are
/// exact-match metadata (<c>key=value</c>); <see cref="UpdatedAt"/> drives date-range filters;
/// <see cref="VersionId"/> (the stored document version) lets repair tell a stale version from the current one.
/// </summary>
public sealed record IndexedChunk(
    string ChunkId,
    string CollectionId,
    string DocumentId,
    string DocumentName,
    string? Title,
    string SectionPath,
    string Text,
    int? PageStart,
    int? PageEnd,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset UpdatedAt,
    string? VersionId = null)
{
    /// <summary>Builds the indexed form of a stored <paramref name="chunk"/>.</summary>
    public static IndexedChunk From(
        Chunk chunk,
        string collectionId,
        string documentName,
        string? title,
        DateTimeOffset updatedAt,
        IReadOnlyDictionary<string, string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return new IndexedChunk(
            chunk.Id,
            collectionId,
            chunk.DocumentId,
            documentName,
            title,
            chunk.SectionPath,
            chunk.Text,
            chunk.PageStart,
            chunk.PageEnd,
            tags ?? new Dictionary<string, string>(),
            updatedAt,
            chunk.VersionId);
    }
}
