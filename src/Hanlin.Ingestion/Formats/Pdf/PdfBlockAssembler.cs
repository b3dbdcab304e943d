using System.Text.RegularExpressions;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>
/// Turns one page's layout into document blocks: tables where the detector found them, otherwise
/// paragraphs (a layout block, split where the font size changes or a bullet starts a line), headings (a
/// short paragraph in a clearly larger font than the document's body text) and bulleted list items.
/// A bullet or enumerator ("3.", "(a)") that layout analysis set apart from its text is put back in front.
/// </summary>
internal sealed partial class PdfBlockAssembler
{
    /// <summary>A heading's font must be at least this much larger than the body font.</summary>
    private const double HeadingMinRatio = 1.2;

    private const int HeadingMaxLines = 2;
    private const int HeadingMaxChars = 150;

    /// <summary>Consecutive lines whose sizes differ by more than this ratio belong to different blocks.</summary>
    private const double FontChangeRatio = 1.15;

    // U+F0B7 is the Symbol-font bullet that word processors emit.
    private static readonly char[] Bullets = ['•', '▪', '◦', '●', '■', '▸', '►', '‣', '⁃', '\uF0B7'];

    private readonly HyphenationJoiner _joiner;
    private readonly double _bodyFontSize;

    public PdfBlockAssembler(HyphenationJoiner joiner, double bodyFontSize)
    {
        _joiner = joiner;
        _bodyFontSize = bodyFontSize;
    }

    /// <summary>The most common font size of the pages, weighted by characters, to the nearest half point.</summary>
    public static double BodyFontSize(IEnumerable<PdfPageLayout> pages)
    {
        var charsPerSize = new Dictionary<double, int>();
        foreach (var page in pages)
        {
            foreach (var block in page.Blocks)
            {
                foreach (var line in block)
                {
                    var size = Math.Round(line.FontSize * 2) / 2;
                    charsPerSize[size] = charsPerSize.GetValueOrDefault(size) + line.Text.Length;
                }
            }
        }

        return charsPerSize.Count == 0 ? 0 : charsPerSize.MaxBy(pair => pair.Value).Key;
    }

    public void Assemble(PdfPageLayout page, List<DocumentBlock> output)
    {
        var tableOfLine = new Dictionary<PdfTextLine, PdfTableRegion>(ReferenceEqualityComparer.Instance);
        foreach (var region in PdfTableDetector.Detect(page))
        {
            foreach (var line in region.Lines)
            {
                tableOfLine[line] = region;
            }
        }

        var state = new PageState(page.PageNumber, output);
        var emittedTables = new HashSet<PdfTableRegion>(ReferenceEqualityComparer.Instance);
        foreach (var block in page.Blocks)
        {
            foreach (var line in block)
            {
                if (tableOfLine.TryGetValue(line, out var table))
                {
                    Flush(state);
                    FlushMarker(state);
                    if (emittedTables.Add(table))
                    {
                        output.Add(new DocumentBlock(BlockKind.Table, string.Empty, page.PageNumber, Table: table.Table));
                    }

                    continue;
                }

                if (state.Lines.Count > 0 && StartsNewBlock(state.Lines[^1], line))
                {
                    Flush(state);
                }

                state.Lines.Add(line);
            }

            Flush(state);
        }

        FlushMarker(state);
    }

    private static bool StartsNewBlock(PdfTextLine previous, PdfTextLine line)
    {
        var larger = Math.Max(previous.FontSize, line.FontSize);
        var smaller = Math.Min(previous.FontSize, line.FontSize);
        return (smaller > 0 && larger / smaller > FontChangeRatio) || StartsWithBullet(line.Text);
    }

    private static bool StartsWithBullet(string text) => text.Length > 0 && Array.IndexOf(Bullets, text[0]) >= 0;

    private void Flush(PageState state)
    {
        var lines = state.Lines;
        if (lines.Count == 0)
        {
            return;
        }

        if (lines.Count == 1 && IsMarker(lines[0].Text))
        {
            FlushMarker(state);
            state.Marker = lines[0];
            lines.Clear();
            return;
        }

        var text = _joiner.Join(lines.Select(l => l.Text).ToList());
        var isListItem = false;
        if (state.Marker is { } marker)
        {
            if (VerticallyOverlap(marker, lines[0]) && marker.Left < lines[0].Left)
            {
                isListItem = StartsWithBullet(marker.Text);
                text = isListItem ? text : marker.Text + " " + text;
                state.Marker = null;
            }
            else
            {
                FlushMarker(state);
            }
        }

        if (StartsWithBullet(text))
        {
            isListItem = true;
            text = text[1..].TrimStart();
        }

        var fontSize = lines.Average(l => l.FontSize);
        if (isListItem)
        {
            state.Output.Add(new DocumentBlock(BlockKind.ListItem, text, state.PageNumber));
        }
        else if (lines.TrueForAll(IsHorizontal) && HeadingLevel(lines.Count, text, fontSize) is var level and > 0)
        {
            state.Output.Add(new DocumentBlock(BlockKind.Heading, text, state.PageNumber, HeadingLevel: level));
        }
        else
        {
            state.Output.Add(new DocumentBlock(BlockKind.Paragraph, text, state.PageNumber));
        }

        lines.Clear();
    }

    /// <summary>A marker that found no text beside it is kept as text of its own, never dropped.</summary>
    private static void FlushMarker(PageState state)
    {
        if (state.Marker is { } marker && !(marker.Text.Length == 1 && StartsWithBullet(marker.Text)))
        {
            state.Output.Add(new DocumentBlock(BlockKind.Paragraph, marker.Text, state.PageNumber));
        }

        state.Marker = null;
    }

    // Vertical text (a side label) measures tall and often large; it is never a heading of the flow.
    private static bool IsHorizontal(PdfTextLine line) => line.Right - line.Left >= line.Top - line.Bottom;

    private static bool IsMarker(string text) =>
        (text.Length == 1 && StartsWithBullet(text)) || Enumerator().IsMatch(text);

    private static bool VerticallyOverlap(PdfTextLine a, PdfTextLine b) =>
        Math.Min(a.Top, b.Top) - Math.Max(a.Bottom, b.Bottom) > 0.3 * Math.Min(a.Height, b.Height);

    /// <summary>1 to 3 from the size ratio to the body font, or 0 when the text is not a heading.</summary>
    private int HeadingLevel(int lineCount, string text, double fontSize)
    {
        if (_bodyFontSize <= 0 || lineCount > HeadingMaxLines || text.Length > HeadingMaxChars || !text.Any(char.IsLetter))
        {
            return 0;
        }

        var ratio = fontSize / _bodyFontSize;
        return ratio switch
        {
            >= 1.8 => 1,
            >= 1.45 => 2,
            >= HeadingMinRatio => 3,
            _ => 0,
        };
    }

    // "3.", "2.1", "2.1.", "A.", "(a)", "iv)".
    [GeneratedRegex(@"^(?:\d{1,3}(?:\.\d{1,3})*\.|\d{1,3}(?:\.\d{1,3})+|[A-Za-z]\.|\(?[A-Za-z0-9]{1,4}\))$", RegexOptions.CultureInvariant)]
    private static partial Regex Enumerator();

    private sealed class PageState(int pageNumber, List<DocumentBlock> output)
    {
        public int PageNumber { get; } = pageNumber;

        public List<DocumentBlock> Output { get; } = output;

        public List<PdfTextLine> Lines { get; } = [];

        /// <summary>A bullet or enumerator line waiting for the text it introduces.</summary>
        public PdfTextLine? Marker { get; set; }
    }
}
