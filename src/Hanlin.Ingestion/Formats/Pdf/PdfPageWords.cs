using UglyToad.PdfPig.Content;

namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>The words of one page with its vertical bounds (points), read from the document before layout analysis.</summary>
internal sealed record PdfPageWords(int PageNumber, double Bottom, double Top, IReadOnlyList<Word> Words);
