namespace Hanlin.Ingestion.Extraction;

/// <summary>
/// The result of extracting a file: blocks in reading order, the page count for paged formats, and the
/// 1-based pages that have no text layer (scans) and need OCR.
/// </summary>
public sealed record ExtractedDocument(
    string MediaType,
    string? Title,
    IReadOnlyList<DocumentBlock> Blocks,
    int? PageCount = null,
    IReadOnlyList<int>? PagesNeedingOcr = null)
{
    public IReadOnlyList<int> PagesNeedingOcr { get; init; } = PagesNeedingOcr ?? [];
}
