namespace Hanlin.Ingestion.Cleaning;

/// <summary>
/// The cleaned text of a document (blocks joined by blank lines) with block positions. This text is
/// what is stored as the version's text blob and what chunk offsets index.
/// </summary>
public sealed record NormalizedDocument(
    string MediaType,
    string? Title,
    string Text,
    IReadOnlyList<NormalizedBlock> Blocks,
    int? PageCount,
    IReadOnlyList<int> PagesNeedingOcr);
