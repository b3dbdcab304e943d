using UglyToad.PdfPig.Content;
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
/// with spaces or gaps, which is nearly all of them. Docstrum runs on one thread per page; the extractor
/// analyses pages in parallel instead, which is coarser-grained and so cheaper.
/// </remarks>
internal static class PdfPageAnalyzer
{
    private static readonly DocstrumBoundingBoxes Segmenter = new(new DocstrumBoundingBoxes.DocstrumBoundingBoxesOptions
    {
        MaxDegreeOfParallelism = 1,
    });

    /// <summary>Reads the page's words, or returns null when the page has no text layer (a scan needing OCR).</summary>
    /// <remarks>Touches the document, so it must run on one thread at a time.</remarks>
    public static PdfPageWords? ReadWords(Page page)
    {
        var hasText = false;
        foreach (var letter in page.Letters)
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

        var bounds = page.CropBox.Bounds;
        return new PdfPageWords(page.Number, bounds.Bottom, bounds.Top, page.GetWords().ToList());
    }

    /// <summary>Lays out one page's words; pure computation, safe to run for several pages in parallel.</summary>
    public static PdfPageLayout Analyze(PdfPageWords page)
    {
        IReadOnlyList<IReadOnlyList<PdfTextLine>> blocks;
        try
        {
            blocks = AnalyzeLayout(page.Words);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Layout analysis is heuristic code; a defect there on an odd page must not cost the page's text.
            blocks = [LinesByBaseline(page.Words)];
        }

        return new PdfPageLayout(page.PageNumber, page.Bottom, page.Top, blocks);
    }

    private static List<IReadOnlyList<PdfTextLine>> AnalyzeLayout(IReadOnlyList<Word> words)
    {
        var textBlocks = Segmenter.GetBlocks(words);
        var ordered = UnsupervisedReadingOrderDetector.Instance.Get(textBlocks);
        var blocks = new List<IReadOnlyList<PdfTextLine>>(textBlocks.Count);
        foreach (var block in ordered)
        {
            var lines = new List<PdfTextLine>(block.TextLines.Count);
            foreach (var line in block.TextLines)
            {
                var converted = ToLine(line.Words);
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

        return blocks;
    }

    /// <summary>Fallback: words top to bottom, a new line wherever the baseline moves by half a word height.</summary>
    private static List<PdfTextLine> LinesByBaseline(IReadOnlyList<Word> words)
    {
        var sorted = words
            .Where(w => !string.IsNullOrWhiteSpace(w.Text))
            .OrderByDescending(w => Math.Round(w.BoundingBox.Bottom))
            .ThenBy(w => w.BoundingBox.Left)
            .ToList();
        var lines = new List<PdfTextLine>();
        var current = new List<Word>();
        foreach (var word in sorted)
        {
            if (current.Count > 0 && Math.Abs(current[0].BoundingBox.Bottom - word.BoundingBox.Bottom) > 0.5 * Math.Max(1, word.BoundingBox.Height))
            {
                AddLine(lines, current);
                current.Clear();
            }

            current.Add(word);
        }

        AddLine(lines, current);
        return lines;

        static void AddLine(List<PdfTextLine> lines, List<Word> words)
        {
            if (ToLine(words) is { } line)
            {
                lines.Add(line);
            }
        }
    }


    private static PdfTextLine? ToLine(IReadOnlyList<Word> words)
    {
        var text = string.Join(' ', words.Select(w => w.Text.Trim()).Where(t => t.Length > 0));
        if (text.Length == 0)
        {
            return null;
        }

        double sizeSum = 0;
        var letterCount = 0;
        double left = double.MaxValue, bottom = double.MaxValue, right = double.MinValue, top = double.MinValue;
        foreach (var word in words)
        {
            var box = word.BoundingBox;
            left = Math.Min(left, Math.Min(box.Left, box.Right));
            right = Math.Max(right, Math.Max(box.Left, box.Right));
            bottom = Math.Min(bottom, Math.Min(box.Bottom, box.Top));
            top = Math.Max(top, Math.Max(box.Bottom, box.Top));
            foreach (var letter in word.Letters)
            {
                sizeSum += letter.PointSize;
                letterCount++;
            }
        }

        var fontSize = letterCount == 0 ? 0 : sizeSum / letterCount;
        return new PdfTextLine(text, left, bottom, right, top, fontSize, words.Count);
    }
}
