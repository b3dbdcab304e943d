using System.Text;
using AngleSharp.Html.Parser;
using Hanlin.Ingestion.Extraction;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using MarkdownTable = Markdig.Extensions.Tables.Table;

namespace Hanlin.Ingestion.Formats.Text;

/// <summary>Walks a Markdig document into <see cref="DocumentBlock"/>s; see <see cref="MarkdownExtractor"/> for the mapping.</summary>
internal sealed class MarkdownBlockWalker(CancellationToken cancellationToken)
{
    private readonly StringBuilder _text = new();
    private HtmlParser? _htmlParser;

    public List<DocumentBlock> Blocks { get; } = [];

    public void Walk(ContainerBlock container)
    {
        foreach (var block in container)
        {
            if (Blocks.Count % 1024 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            switch (block)
            {
                case YamlFrontMatterBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup:
                    break;
                case HeadingBlock heading:
                    Add(BlockKind.Heading, heading.Inline is null ? string.Empty : InlineText(heading.Inline), heading.Level);
                    break;
                case MarkdownTable table:
                    AddTable(table);
                    break;
                case ListBlock list:
                    AddList(list);
                    break;
                case HtmlBlock html:
                    AddHtml(html.Lines.ToString());
                    break;
                case CodeBlock code:
                    Add(BlockKind.Paragraph, code.Lines.ToString());
                    break;
                case LeafBlock leaf:
                    Add(BlockKind.Paragraph, leaf.Inline is null ? leaf.Lines.ToString() : InlineText(leaf.Inline));
                    break;
                case ContainerBlock nested:
                    Walk(nested);
                    break;
            }
        }
    }

    private void Add(BlockKind kind, string text, int level = 0)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            Blocks.Add(new DocumentBlock(kind, text, HeadingLevel: level));
        }
    }

    // An item's own text (all but its nested lists) comes first, then the nested items in order.
    private void AddList(ListBlock list)
    {
        foreach (var child in list)
        {
            if (child is not ListItemBlock item)
            {
                continue;
            }

            var text = new StringBuilder();
            if (list.IsOrdered)
            {
                text.Append(item.Order).Append(list.OrderedDelimiter).Append(' ');
            }

            var prefixLength = text.Length;
            foreach (var part in item)
            {
                if (part is ListBlock)
                {
                    continue;
                }

                var partText = part switch
                {
                    LeafBlock { Inline: not null } leaf => InlineText(leaf.Inline),
                    LeafBlock leaf => leaf.Lines.ToString(),
                    _ => string.Empty,
                };
                if (partText.Length > 0)
                {
                    text.Append(text.Length > prefixLength ? "\n" : string.Empty).Append(partText);
                }
            }

            if (text.Length > prefixLength)
            {
                Blocks.Add(new DocumentBlock(BlockKind.ListItem, text.ToString()));
            }

            foreach (var part in item)
            {
                if (part is ListBlock nested)
                {
                    AddList(nested);
                }
                else if (part is ContainerBlock container)
                {
                    Walk(container);
                }
            }
        }
    }

    private void AddTable(MarkdownTable table)
    {
        var headerRows = new List<List<string>>();
        var rows = new List<List<string>>();
        var columns = 0;
        foreach (var child in table)
        {
            if (child is not TableRow row)
            {
                continue;
            }

            var cells = new List<string>(row.Count);
            foreach (var cellBlock in row)
            {
                cells.Add(cellBlock is TableCell cell ? CellText(cell) : string.Empty);
            }

            columns = Math.Max(columns, cells.Count);
            (row.IsHeader ? headerRows : rows).Add(cells);
        }

        if (headerRows.Count == 0 && rows.Count > 0)
        {
            headerRows.Add(rows[0]);
            rows.RemoveAt(0);
        }

        if (columns == 0)
        {
            return;
        }

        var header = new string[columns];
        for (var c = 0; c < columns; c++)
        {
            header[c] = string.Join(" / ", headerRows.Select(r => c < r.Count ? r[c] : string.Empty).Where(s => s.Length > 0));
        }

        var padded = rows.ConvertAll(r => (IReadOnlyList<string>)[.. r, .. Enumerable.Repeat(string.Empty, columns - r.Count)]);
        Blocks.Add(new DocumentBlock(BlockKind.Table, string.Empty, Table: new TableBlock(header, padded)));
    }

    private string CellText(TableCell cell)
    {
        var parts = new List<string>();
        foreach (var block in cell)
        {
            if (block is LeafBlock leaf)
            {
                parts.Add(leaf.Inline is null ? leaf.Lines.ToString() : InlineText(leaf.Inline));
            }
        }

        return string.Join(" ", parts).Trim();
    }

    private string InlineText(ContainerInline container)
    {
        _text.Clear();
        AppendInline(container);
        return _text.ToString();
    }

    private void AppendInline(ContainerInline container)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    _text.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    _text.Append(code.ContentSpan);
                    break;
                case LineBreakInline lineBreak:
                    // A soft break joins lines with a space; the normaliser drops it again between CJK characters.
                    _text.Append(lineBreak.IsHard ? '\n' : ' ');
                    break;
                case AutolinkInline autolink:
                    _text.Append(autolink.Url);
                    break;
                case HtmlEntityInline entity:
                    _text.Append(entity.Transcoded.AsSpan());
                    break;
                case ContainerInline nested:
                    AppendInline(nested);
                    break;
            }
        }
    }

    // Raw HTML in Markdown keeps its structure (tables, lists) but loses its tags and page chrome.
    private void AddHtml(string html)
    {
        var document = (_htmlParser ??= new HtmlParser()).ParseDocument(html);
        if (document.Body is not null)
        {
            new HtmlBlockWalker(Blocks, cancellationToken).WalkRoot(document.Body);
        }
    }
}
