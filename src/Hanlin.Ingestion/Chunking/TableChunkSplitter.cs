using Hanlin.Core.Documents;
using Hanlin.Ingestion.Cleaning;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// Splits a table longer than <see cref="ChunkingOptions.MaxTokens"/> into pieces of whole rows, each
/// rendered as its own Markdown table with the header repeated and a context line (caption, else the
/// section path) so a piece still reads on its own. Offsets cover the rows' lines in the document text.
/// A single row too long for any piece is cut by tokens as a last resort.
/// </summary>
internal sealed class TableChunkSplitter
{
    private readonly string _text;
    private readonly TokenCounter _tokens;
    private readonly ChunkingOptions _options;

    public TableChunkSplitter(string text, TokenCounter tokens, ChunkingOptions options)
    {
        _text = text;
        _tokens = tokens;
        _options = options;
    }

    /// <param name="block">A table block; its text span is expected to be <see cref="MarkdownTableRenderer.Render(TableBlock)"/>.</param>
    /// <param name="sectionPath">The section the table is in.</param>
    /// <param name="heading">Heading lines waiting for their first content, prepended to the first piece.</param>
    /// <param name="output">Receives the pieces in order.</param>
    public void Split(NormalizedBlock block, string sectionPath, ChunkUnit? heading, List<ChunkDraft> output)
    {
        var table = block.Table!;
        var rowSpans = LocateRows(block, table.Rows.Count);
        var rowTexts = new string[table.Rows.Count];
        var rowTokens = new int[table.Rows.Count];
        for (var i = 0; i < rowTexts.Length; i++)
        {
            rowTexts[i] = rowSpans is null ? RenderRow(table.Header, table.Rows[i]) : _text.Substring(rowSpans[i].Start, rowSpans[i].Length);
            rowTokens[i] = _tokens.Count(rowTexts[i]);
        }

        var context = !string.IsNullOrWhiteSpace(table.Caption) ? table.Caption.Trim() : sectionPath.Trim();
        var headingText = heading is { } h ? _text[h.Start..h.End] : null;
        var otherPrefix = context.Length > 0 ? context + "\n\n" : string.Empty;
        var firstPrefix = headingText is null
            ? otherPrefix
            : headingText + "\n\n" + (!string.IsNullOrWhiteSpace(table.Caption) ? table.Caption.Trim() + "\n\n" : string.Empty);
        var headerLines = MarkdownTableRenderer.Render(table.Header, []);
        var firstFixed = _tokens.Count(firstPrefix + headerLines);
        var otherFixed = _tokens.Count(otherPrefix + headerLines);

        var row = 0;
        while (row < rowTexts.Length)
        {
            var prefix = row == 0 ? firstPrefix : otherPrefix;
            var fixedTokens = row == 0 ? firstFixed : otherFixed;
            var charStart = row == 0 ? heading?.Start ?? block.Start : rowSpans?[row].Start ?? block.Start;
            if (fixedTokens + 1 + rowTokens[row] > _options.MaxTokens)
            {
                SplitRow(rowTexts[row], rowSpans?[row].Start, prefix + headerLines + "\n", fixedTokens + 1, block, sectionPath, output);
                row++;
                continue;
            }

            var take = 1;
            var estimate = fixedTokens + 1 + rowTokens[row];
            while (row + take < rowTexts.Length && estimate + 1 + rowTokens[row + take] <= _options.TargetTokens)
            {
                estimate += 1 + rowTokens[row + take];
                take++;
            }

            string piece;
            int count;
            while (true)
            {
                piece = prefix + MarkdownTableRenderer.Render(table.Header, Slice(table.Rows, row, take));
                count = _tokens.Count(piece);
                if (count <= _options.MaxTokens || take == 1)
                {
                    break;
                }

                take--;
            }

            var charEnd = rowSpans?[row + take - 1].End ?? block.End;
            output.Add(ChunkDraftFactory.Create(piece, sectionPath, MinPage(heading?.FirstPage, block.Page), block.Page, charStart, charEnd, count, ChunkKind.Table));
            row += take;
        }
    }

    // The last resort: one row alone exceeds MaxTokens even without other rows, so cut its line by tokens.
    private void SplitRow(string rowText, int? rowStart, string headerBlock, int headerTokens, NormalizedBlock block, string sectionPath, List<ChunkDraft> output)
    {
        if (headerTokens > _options.MaxTokens / 2)
        {
            // A header this long would leave no room for content; pieces go without it.
            headerBlock = string.Empty;
            headerTokens = 0;
        }

        var budget = _options.MaxTokens - headerTokens;
        var position = 0;
        while (position < rowText.Length)
        {
            var rest = rowText.AsSpan(position);
            var length = Math.Max(1, _tokens.PrefixLengthWithin(rest, budget, out _));
            var piece = string.Concat(headerBlock, rowText.AsSpan(position, length));
            var count = _tokens.Count(piece);
            while (count > _options.MaxTokens && length > 1)
            {
                // Tokens merge across the join with the header; give back the overflow and retry.
                var shorter = _tokens.PrefixLengthWithin(rest, Math.Max(1, _tokens.Count(rest[..length]) - (count - _options.MaxTokens)), out _);
                length = shorter > 0 && shorter < length ? shorter : length - 1;
                piece = string.Concat(headerBlock, rowText.AsSpan(position, length));
                count = _tokens.Count(piece);
            }

            var charStart = rowStart is { } s ? s + position : block.Start;
            var charEnd = rowStart is { } e ? e + position + length : block.End;
            output.Add(ChunkDraftFactory.Create(piece, sectionPath, block.Page, block.Page, charStart, charEnd, count, ChunkKind.Table));
            position += length;
        }
    }

    // Row i's line in the document text, or null when the block text is not the expected rendering.
    private TextSpan[]? LocateRows(NormalizedBlock block, int rowCount)
    {
        var spans = new TextSpan[rowCount];
        var line = 0;
        var lineStart = block.Start;
        for (var i = block.Start; i <= block.End; i++)
        {
            if (i < block.End && _text[i] != '\n')
            {
                continue;
            }

            if (line >= 2)
            {
                if (line - 2 >= rowCount)
                {
                    return null;
                }

                spans[line - 2] = new TextSpan(lineStart, i - lineStart);
            }

            line++;
            lineStart = i + 1;
        }

        return line == rowCount + 2 ? spans : null;
    }

    private static string RenderRow(IReadOnlyList<string> header, IReadOnlyList<string> row)
    {
        var rendered = MarkdownTableRenderer.Render(header, [row]);
        return rendered[(rendered.LastIndexOf('\n') + 1)..];
    }

    private static IEnumerable<IReadOnlyList<string>> Slice(IReadOnlyList<IReadOnlyList<string>> rows, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            yield return rows[i];
        }
    }

    private static int? MinPage(int? a, int? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
