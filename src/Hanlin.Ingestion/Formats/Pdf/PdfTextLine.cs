namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>
/// One line of text on a page as layout analysis found it. Coordinates are PDF user space in points,
/// origin bottom-left (so <see cref="Top"/> &gt; <see cref="Bottom"/>); <see cref="FontSize"/> is the mean
/// rendered point size of its letters.
/// </summary>
internal sealed record PdfTextLine(string Text, double Left, double Bottom, double Right, double Top, double FontSize, int WordCount)
{
    public double Height => Top - Bottom;

    public double CenterY => (Top + Bottom) / 2;
}
