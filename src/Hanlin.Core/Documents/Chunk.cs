namespace Hanlin.Core.Documents;

/// <summary>
/// A retrievable passage with full provenance: document, version, section path, pages (1-based,
/// inclusive; null for formats without pages) and character offsets [CharStart, CharEnd) into the
/// version's normalised text. Table chunks split by rows repeat the header, so their <see cref="Text"/>
/// can be longer than the span it points to.
/// </summary>
public sealed record Chunk(
    string Id,
    string DocumentId,
    string VersionId,
    int Ordinal,
    string Text,
    string SectionPath,
    int? PageStart,
    int? PageEnd,
    int CharStart,
    int CharEnd,
    int TokenCount,
    string ContentHash,
    ulong SimHash,
    ChunkKind Kind);
