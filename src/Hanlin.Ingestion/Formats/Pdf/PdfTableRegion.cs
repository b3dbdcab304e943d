using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>A table found on a page: its cells, and the page lines it was built from (by reference).</summary>
internal sealed record PdfTableRegion(TableBlock Table, IReadOnlySet<PdfTextLine> Lines);
