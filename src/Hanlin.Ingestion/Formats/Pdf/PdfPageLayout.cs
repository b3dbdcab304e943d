namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>
/// The text of one page: layout blocks (roughly paragraphs) in reading order, each a list of lines top to
/// bottom. <see cref="Bottom"/> and <see cref="Top"/> bound the visible page area in points.
/// </summary>
internal sealed record PdfPageLayout(int PageNumber, double Bottom, double Top, IReadOnlyList<IReadOnlyList<PdfTextLine>> Blocks)
{
    public double Height => Top - Bottom;
}
