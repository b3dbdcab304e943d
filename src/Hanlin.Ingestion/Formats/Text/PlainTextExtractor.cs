using System.Text;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Text;

/// <summary>
/// Plain text: paragraphs are separated by blank lines and the lines of a paragraph are joined with a space
/// (the normaliser removes it again between CJK characters). A line starting with a bullet
/// (<c>- * + •</c>) or a number (<c>1.</c>, <c>1)</c>) starts a <see cref="BlockKind.ListItem"/>; bullets are
/// dropped, numbers kept because the order of steps carries meaning; following lines continue the item.
/// </summary>
public sealed class PlainTextExtractor : IDocumentExtractor
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> MediaTypes { get; } = [Core.Documents.MediaTypes.PlainText];

    /// <inheritdoc />
    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionContext context, CancellationToken cancellationToken = default)
    {
        var text = TextInput.Read(content, context, cancellationToken);
        var blocks = Split(text, cancellationToken);
        return Task.FromResult(new ExtractedDocument(Core.Documents.MediaTypes.PlainText, null, blocks));
    }

    internal static List<DocumentBlock> Split(string text, CancellationToken cancellationToken)
    {
        var blocks = new List<DocumentBlock>();
        var current = new StringBuilder();
        var kind = BlockKind.Paragraph;
        var lineCount = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            if ((++lineCount & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var line = rawLine.Trim();
            if (line.IsEmpty)
            {
                Flush(blocks, current, kind);
                kind = BlockKind.Paragraph;
                continue;
            }

            var itemStart = ListItemTextStart(line);
            if (itemStart >= 0)
            {
                Flush(blocks, current, kind);
                kind = BlockKind.ListItem;
                line = line[itemStart..];
            }

            if (current.Length > 0)
            {
                current.Append(' ');
            }

            current.Append(line);
        }

        Flush(blocks, current, kind);
        return blocks;
    }

    // Index where the item's text starts, or -1 when the line is not a list item.
    private static int ListItemTextStart(ReadOnlySpan<char> line)
    {
        if (line.Length >= 2 && line[0] is '-' or '*' or '+' or '•' or '·' && line[1] is ' ' or '\t')
        {
            return 2;
        }

        var digits = 0;
        while (digits < line.Length && digits < 4 && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        return digits is >= 1 and <= 3 && line.Length > digits + 1 && line[digits] is '.' or ')' && line[digits + 1] is ' ' or '\t' ? 0 : -1;
    }

    private static void Flush(List<DocumentBlock> blocks, StringBuilder current, BlockKind kind)
    {
        if (current.Length > 0)
        {
            blocks.Add(new DocumentBlock(kind, current.ToString()));
            current.Clear();
        }
    }
}
