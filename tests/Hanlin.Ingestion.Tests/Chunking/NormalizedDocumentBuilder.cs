using System.Text;
using Hanlin.Ingestion.Cleaning;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Tests.Chunking;

/// <summary>
/// Builds a <see cref="NormalizedDocument"/> the way the normaliser lays one out: block texts joined by
/// blank lines, headings rendered as Markdown ("## title"), list items as "- item", tables as
/// <see cref="MarkdownTableRenderer.Render(TableBlock)"/>; section paths follow the heading stack.
/// </summary>
internal sealed class NormalizedDocumentBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<NormalizedBlock> _blocks = [];
    private readonly List<(int Level, string Title)> _headings = [];
    private int? _page = 1;

    public NormalizedDocumentBuilder OnPage(int? page)
    {
        _page = page;
        return this;
    }

    public NormalizedDocumentBuilder Heading(int level, string title)
    {
        _headings.RemoveAll(h => h.Level >= level);
        _headings.Add((level, title));
        return Add(BlockKind.Heading, new string('#', level) + " " + title, level);
    }

    public NormalizedDocumentBuilder Paragraph(string text) => Add(BlockKind.Paragraph, text);

    public NormalizedDocumentBuilder ListItem(string text) => Add(BlockKind.ListItem, "- " + text);

    public NormalizedDocumentBuilder Table(TableBlock table) => Add(BlockKind.Table, MarkdownTableRenderer.Render(table), table: table);

    public NormalizedDocument Build() => new("text/markdown", "test", _text.ToString(), _blocks.ToArray(), _page, []);

    private NormalizedDocumentBuilder Add(BlockKind kind, string text, int level = 0, TableBlock? table = null)
    {
        if (_text.Length > 0)
        {
            _text.Append("\n\n");
        }

        var start = _text.Length;
        _text.Append(text);
        var path = string.Join(" > ", _headings.Select(h => h.Title));
        _blocks.Add(new NormalizedBlock(kind, start, text.Length, _page, path, level, table));
        return this;
    }
}
