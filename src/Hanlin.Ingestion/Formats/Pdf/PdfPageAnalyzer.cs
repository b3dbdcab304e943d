using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.DocumentLayoutAnalysis;
using UglyToad.PdfPig.DocumentLayoutAnalysis.PageSegmenter;
using UglyToad.PdfPig.DocumentLayoutAnalysis.ReadingOrderDetector;

namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>
/// Turns a PdfPig page into lines grouped in blocks and ordered for reading: PdfPig's default words,
/// Docstrum blocks (which separate columns) and the unsupervised reading-order detector (which reads a
/// multi-column page column by column). Docstrum is O(n log n) in words; the reading-order detector is
/// quadratic only in the number of blocks, which stays small.
/// </summary>
/// <remarks>
/// The default word extractor is used rather than the nearest-neighbour one: on dense pages the latter
/// costs as much as Docstrum itself (about 10 ms a page here) and gains little on PDFs that place words
/// with spaces or gaps, which is nearly all of them. Docstrum runs on one thread because extraction
/// already runs files in parallel and the project's machines have two cores.
/// </remarks>
internal static class PdfPageAnalyzer
{
    private static readonly DocstrumBoundingBoxes Segmenter = new(new DocstrumBoundingBoxes.DocstrumBoundingBoxesOptions
    {
        MaxDegreeOfParallelism = 1,
    });

    /// <summary>Returns the page's layout, or null when the page has no text layer (a scan needing OCR).</summary>
    public static PdfPageLayout? Analyze(Page page)
    {
        var letters = page.Letters;
        var hasText = false;
        foreach (var letter in letters)
        {
            if (!string.IsNullOrWhiteSpace(letter.Value))
            {
                hasText = true;
                break;
            }
        }

        if (!hasText)
        {
            return null;
        }

        var words = page.GetWords().ToList();
        var textBlocks = Segmenter.GetBlocks(words);
        var ordered = UnsupervisedReadingOrderDetector.Instance.Get(textBlocks);

        var blocks = new List<IReadOnlyList<PdfTextLine>>(textBlocks.Count);
        foreach (var block in ordered)
        {
            var lines = new List<PdfTextLine>(block.TextLines.Count);
            foreach (var line in block.TextLines)
            {
                var converted = ToLine(line);
                if (converted is not null)
                {
                    lines.Add(converted);
                }
            }

            if (lines.Count > 0)
            {
                blocks.Add(lines);
            }
        }

        var bounds = page.CropBox.Bounds;
        return new PdfPageLayout(page.Number, bounds.Bottom, bounds.Top, blocks);
    }

    private static PdfTextLine? ToLine(TextLine line)
    {
        var text = line.Text.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        double sizeSum = 0;
        var letterCount = 0;
        foreach (var word in line.Words)
        {
            foreach (var letter in word.Letters)
            {
                sizeSum += letter.PointSize;
                letterCount++;
            }
        }

        var box = line.BoundingBox;
        var fontSize = letterCount == 0 ? 0 : sizeSum / letterCount;
        return new PdfTextLine(
            text,
            Math.Min(box.Left, box.Right),
            Math.Min(box.Bottom, box.Top),
            Math.Max(box.Left, box.Right),
            Math.Max(box.Bottom, box.Top),
            fontSize,
            line.Words.Count);
    }
}
