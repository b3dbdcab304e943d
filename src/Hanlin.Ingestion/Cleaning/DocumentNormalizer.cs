using System.Text;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Cleaning;

/// <summary>
/// Turns an <see cref="ExtractedDocument"/> into one cleaned text with block positions.
/// <list type="bullet">
/// <item>Each block is cleaned by <see cref="TextNormalizer"/>; headings and table cells become one line;
/// blocks that clean to nothing are dropped (an empty heading does not open a section).</item>
/// <item>Blocks are joined by "\n\n"; <c>Text.Substring(block.Start, block.Length)</c> is exactly the block's text.
/// A table's text is its caption line (if any) followed by its Markdown rendering.</item>
/// <item>Section path: a heading of level L closes open headings of level ≥ L and opens itself (its own path
/// includes it). A block's format <see cref="DocumentBlock.Section"/> (sheet name, "Notes") is the innermost
/// element, appended after the headings, because it labels where inside the current part the block sits;
/// it is not repeated when it equals the innermost heading. Elements are joined by " > ".</item>
/// </list>
/// </summary>
public sealed class DocumentNormalizer
{
    private const string Separator = " > ";

    // Documents with more blocks than this clean their blocks in parallel; the assembly stays sequential.
    private const int ParallelBlockThreshold = 512;

    /// <summary>Cleans <paramref name="document"/>; the title is cleaned to one line (null when empty).</summary>
    public NormalizedDocument Normalize(ExtractedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var source = document.Blocks;
        var cleaned = new (string Text, TableBlock? Table)[source.Count];
        if (source.Count >= ParallelBlockThreshold && Environment.ProcessorCount > 1)
        {
            Parallel.For(0, source.Count, i => cleaned[i] = Clean(source[i]));
        }
        else
        {
            for (var i = 0; i < source.Count; i++)
            {
                cleaned[i] = Clean(source[i]);
            }
        }

        var capacity = 0L;
        foreach (var (cleanText, _) in cleaned)
        {
            capacity += cleanText.Length + 2;
        }

        var text = new StringBuilder((int)Math.Min(capacity, Array.MaxLength));
        var blocks = new List<NormalizedBlock>(source.Count);
        var headings = new List<(int Level, string Text)>();
        var headingPath = string.Empty;
        for (var i = 0; i < source.Count; i++)
        {
            var (blockText, table) = cleaned[i];
            if (blockText.Length == 0)
            {
                continue;
            }

            if (blocks.Count > 0)
            {
                text.Append("\n\n");
            }

            var start = text.Length;
            text.Append(blockText);
            var block = source[i];
            var level = 0;
            if (block.Kind == BlockKind.Heading)
            {
                level = Math.Clamp(block.HeadingLevel, 1, 6);
                headings.RemoveAll(h => h.Level >= level);
                headings.Add((level, blockText));
                headingPath = string.Join(Separator, headings.Select(h => h.Text));
            }

            blocks.Add(new NormalizedBlock(block.Kind, start, blockText.Length, block.Page, SectionPath(headings, headingPath, block.Section), level, table));
        }

        var title = document.Title is null ? null : TextNormalizer.NormalizeLine(document.Title);
        return new NormalizedDocument(
            document.MediaType,
            string.IsNullOrEmpty(title) ? null : title,
            text.ToString(),
            blocks,
            document.PageCount,
            document.PagesNeedingOcr);
    }

    private static (string Text, TableBlock? Table) Clean(DocumentBlock block) => block switch
    {
        { Kind: BlockKind.Table, Table: not null } => CleanTable(block.Table),
        { Kind: BlockKind.Heading } => (TextNormalizer.NormalizeLine(block.Text), null),
        _ => (TextNormalizer.Normalize(block.Text), null),
    };

    private static (string Text, TableBlock? Table) CleanTable(TableBlock table)
    {
        var header = table.Header.Select(TextNormalizer.NormalizeLine).ToArray();
        var rows = new List<IReadOnlyList<string>>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            var cells = new string[header.Length];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = i < row.Count ? TextNormalizer.NormalizeLine(row[i]) : string.Empty;
            }

            if (Array.Exists(cells, c => c.Length > 0))
            {
                rows.Add(cells);
            }
        }

        if (rows.Count == 0 && Array.TrueForAll(header, h => h.Length == 0))
        {
            return (string.Empty, null);
        }

        var caption = table.Caption is null ? string.Empty : TextNormalizer.NormalizeLine(table.Caption);
        var cleaned = new TableBlock(header, rows, caption.Length > 0 ? caption : null);
        var rendered = MarkdownTableRenderer.Render(cleaned);
        return (caption.Length > 0 ? caption + "\n" + rendered : rendered, cleaned);
    }

    private static string SectionPath(List<(int Level, string Text)> headings, string headingPath, string? section)
    {
        var formatSection = string.IsNullOrWhiteSpace(section) ? null : TextNormalizer.NormalizeLine(section);
        if (formatSection is { Length: 0 } || (headings.Count > 0 && headings[^1].Text == formatSection))
        {
            formatSection = null;
        }

        return (headings.Count, formatSection) switch
        {
            (0, null) => string.Empty,
            (0, _) => formatSection,
            (_, null) => headingPath,
            _ => headingPath + Separator + formatSection,
        };
    }
}
