using System.Text;
using AngleSharp.Dom;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Text;

/// <summary>
/// Turns an HTML element tree into <see cref="DocumentBlock"/>s: h1-h6 → headings, li → list items,
/// table → <see cref="TableBlock"/> (colspan/rowspan resolved), text of p/div and other block elements →
/// paragraphs. Page chrome is dropped: script, style, noscript, template, nav, aside, form, iframe, svg,
/// elements with role navigation/banner/contentinfo or hidden, and header/footer unless they sit inside an
/// article, main or section (there they are part of the content, e.g. an article's own title; this is the
/// ARIA rule for when header/footer are banner/contentinfo landmarks).
/// </summary>
internal sealed class HtmlBlockWalker(List<DocumentBlock> blocks, CancellationToken cancellationToken)
{
    // Spans larger than this are clamped: a hostile colspan="100000" must not allocate huge rows.
    private const int MaxSpan = 1000;
    private const int MaxDepth = 200;

    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "head", "title", "meta",
        "link", "object", "embed", "canvas", "button", "select", "input", "textarea", "dialog", "math",
    };

    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "body", "blockquote", "ul", "ol", "dl", "dt", "dd", "figure",
        "figcaption", "address", "center", "hr", "details", "summary", "header", "footer", "caption", "fieldset",
        "legend", "hgroup", "menu",
    };

    private readonly StringBuilder _inline = new();
    private int _depth;

    /// <summary>Walks the children of <paramref name="root"/> and flushes trailing text.</summary>
    public void WalkRoot(INode root)
    {
        Walk(root);
        Flush();
    }

    /// <summary>True for elements that are page chrome or not rendered.</summary>
    public static bool IsDropped(IElement element)
    {
        if (Dropped.Contains(element.LocalName) || element.HasAttribute("hidden")
            || string.Equals(element.GetAttribute("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var role = element.GetAttribute("role");
        if (role is not null && (role.Equals("navigation", StringComparison.OrdinalIgnoreCase)
            || role.Equals("banner", StringComparison.OrdinalIgnoreCase) || role.Equals("contentinfo", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return element.LocalName is "header" or "footer" && element.Closest("article, main, section") is null;
    }

    private void Walk(INode node)
    {
        // Past this depth the subtree is read as one paragraph (iteratively), so deep nesting cannot overflow the stack.
        if (++_depth > MaxDepth)
        {
            Flush();
            Add(BlockKind.Paragraph, InlineText(node, skipLists: false));
            _depth--;
            return;
        }

        WalkChildren(node);
        _depth--;
    }

    private void WalkChildren(INode node)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText text)
            {
                AppendCollapsed(_inline, text.Data);
                continue;
            }

            if (child is not IElement element || IsDropped(element))
            {
                continue;
            }

            switch (element.LocalName)
            {
                case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    Flush();
                    Add(BlockKind.Heading, InlineText(element, skipLists: false), element.LocalName[1] - '0');
                    break;
                case "li":
                    Flush();
                    Add(BlockKind.ListItem, InlineText(element, skipLists: true));
                    WalkNestedLists(element);
                    break;
                case "table":
                    Flush();
                    AddTable(element);
                    break;
                case "pre":
                    Flush();
                    Add(BlockKind.Paragraph, element.TextContent);
                    break;
                case "br":
                    _inline.Append('\n');
                    break;
                case "img":
                    break;
                default:
                    if (BlockElements.Contains(element.LocalName))
                    {
                        Flush();
                        Walk(element);
                        Flush();
                    }
                    else
                    {
                        Walk(element);
                    }

                    break;
            }
        }
    }

    private void WalkNestedLists(IElement item)
    {
        foreach (var list in item.Children)
        {
            if (list.LocalName is "ul" or "ol")
            {
                Walk(list);
                Flush();
            }
            else if (!IsDropped(list) && list.QuerySelector("ul, ol") is not null && list.LocalName is not "table")
            {
                WalkNestedLists(list);
            }
        }
    }

    private void Flush()
    {
        if (_inline.Length > 0)
        {
            Add(BlockKind.Paragraph, _inline.ToString());
            _inline.Clear();
        }
    }

    private void Add(BlockKind kind, string text, int level = 0)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            if (blocks.Count % 1024 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            blocks.Add(new DocumentBlock(kind, text, HeadingLevel: level));
        }
    }

    private static string InlineText(INode element, bool skipLists)
    {
        var sb = new StringBuilder();
        AppendText(sb, element, skipLists);
        return sb.ToString().Trim();
    }

    // Iterative, not recursive: hostile pages nest elements tens of thousands deep.
    private static void AppendText(StringBuilder sb, INode node, bool skipLists)
    {
        var stack = new Stack<(INode Node, bool CloseBlock)>();
        PushChildren(stack, node);
        while (stack.TryPop(out var item))
        {
            if (item.CloseBlock)
            {
                sb.Append(' ');
                continue;
            }

            if (item.Node is IText text)
            {
                AppendCollapsed(sb, text.Data);
            }
            else if (item.Node is IElement element && !IsDropped(element))
            {
                if (element.LocalName == "br")
                {
                    sb.Append(' ');
                }
                else if (!(skipLists && element.LocalName is "ul" or "ol"))
                {
                    // Block children (p inside li/td) must not glue words together.
                    if (BlockElements.Contains(element.LocalName) || element.LocalName is "li" or "tr" or "td" or "th")
                    {
                        sb.Append(' ');
                        stack.Push((element, true));
                    }

                    PushChildren(stack, element);
                }
            }
        }
    }

    private static void PushChildren(Stack<(INode Node, bool CloseBlock)> stack, INode node)
    {
        var children = node.ChildNodes;
        for (var i = children.Length - 1; i >= 0; i--)
        {
            stack.Push((children[i], false));
        }
    }

    // HTML collapses runs of whitespace (line breaks of the source included) into one space.
    private static void AppendCollapsed(StringBuilder sb, string text)
    {
        foreach (var c in text)
        {
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                if (sb.Length > 0 && sb[^1] != ' ' && sb[^1] != '\n')
                {
                    sb.Append(' ');
                }
            }
            else
            {
                sb.Append(c);
            }
        }
    }

    private void AddTable(IElement table)
    {
        var rows = new List<(IElement Row, bool InHead)>();
        foreach (var child in table.Children)
        {
            switch (child.LocalName)
            {
                case "tr":
                    rows.Add((child, false));
                    break;
                case "thead" or "tbody" or "tfoot":
                    rows.AddRange(child.Children.Where(r => r.LocalName == "tr").Select(r => (r, child.LocalName == "thead")));
                    break;
            }
        }

        var grid = new List<List<string?>>();
        var headerRows = 0;
        var leadingAllTh = true;
        for (var r = 0; r < rows.Count; r++)
        {
            EnsureRow(grid, r);
            var column = 0;
            var allTh = true;
            foreach (var cell in rows[r].Row.Children)
            {
                if (cell.LocalName is not ("td" or "th"))
                {
                    continue;
                }

                allTh &= cell.LocalName == "th";
                while (column < grid[r].Count && grid[r][column] is not null)
                {
                    column++;
                }

                var colspan = Span(cell.GetAttribute("colspan"), MaxSpan);
                var rowspanAttr = cell.GetAttribute("rowspan");
                var rowspan = rowspanAttr == "0" ? rows.Count - r : Math.Min(Span(rowspanAttr, MaxSpan), rows.Count - r);
                var text = InlineText(cell, skipLists: false);
                for (var dr = 0; dr < rowspan; dr++)
                {
                    EnsureRow(grid, r + dr);
                    var target = grid[r + dr];
                    while (target.Count < column + colspan)
                    {
                        target.Add(null);
                    }

                    for (var dc = 0; dc < colspan; dc++)
                    {
                        target[column + dc] = text;
                    }
                }

                column += colspan;
            }

            leadingAllTh &= allTh && grid[r].Count > 0;
            if (rows[r].InHead || leadingAllTh)
            {
                headerRows = r + 1;
            }
        }

        var columns = grid.Count == 0 ? 0 : grid.Max(g => g.Count);
        if (columns == 0)
        {
            return;
        }

        // Without a marked header the first row names the columns, as in a spreadsheet.
        headerRows = Math.Max(headerRows, 1);
        var header = new string[columns];
        for (var c = 0; c < columns; c++)
        {
            var labels = new List<string>();
            for (var r = 0; r < Math.Min(headerRows, grid.Count); r++)
            {
                var label = c < grid[r].Count ? grid[r][c] ?? string.Empty : string.Empty;
                if (label.Length > 0 && (labels.Count == 0 || labels[^1] != label))
                {
                    labels.Add(label);
                }
            }

            header[c] = string.Join(" / ", labels);
        }

        var body = new List<IReadOnlyList<string>>();
        for (var r = headerRows; r < grid.Count; r++)
        {
            var row = new string[columns];
            for (var c = 0; c < columns; c++)
            {
                row[c] = c < grid[r].Count ? grid[r][c] ?? string.Empty : string.Empty;
            }

            body.Add(row);
        }

        var captionElement = table.Children.FirstOrDefault(c => c.LocalName == "caption");
        var caption = captionElement is null ? null : InlineText(captionElement, skipLists: false);
        blocks.Add(new DocumentBlock(BlockKind.Table, string.Empty, Table: new TableBlock(header, body, string.IsNullOrEmpty(caption) ? null : caption)));
    }

    private static void EnsureRow(List<List<string?>> grid, int row)
    {
        while (grid.Count <= row)
        {
            grid.Add([]);
        }
    }

    private static int Span(string? value, int max) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var span) && span > 0
            ? Math.Min(span, max)
            : 1;
}
