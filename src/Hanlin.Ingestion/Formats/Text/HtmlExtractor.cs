using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Sniffing;

namespace Hanlin.Ingestion.Formats.Text;

/// <summary>
/// HTML via AngleSharp, main text only (see <see cref="HtmlBlockWalker"/> for what is dropped). When the page
/// has a &lt;main&gt; it alone is read, else its top-level &lt;article&gt;s, else the body. The title comes
/// from &lt;title&gt;. Encoding: a BOM, else UTF-8 when the bytes are valid UTF-8, else the page's own
/// &lt;meta charset&gt;, else the sniffed or detected encoding.
/// </summary>
public sealed class HtmlExtractor : IDocumentExtractor
{
    // Where a page must declare its charset, per the HTML spec's prescan.
    private const int MetaPrescanBytes = 1024;

    /// <inheritdoc />
    public IReadOnlyCollection<string> MediaTypes { get; } = [Core.Documents.MediaTypes.Html];

    /// <inheritdoc />
    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        var bytes = ReadBytes(content, context);
        var encoding = ChooseEncoding(bytes, context.Encoding);
        var html = TextDecoder.Decode(bytes, encoding);
        cancellationToken.ThrowIfCancellationRequested();

        var document = new HtmlParser().ParseDocument(html);
        var blocks = new List<DocumentBlock>();
        var walker = new HtmlBlockWalker(blocks, cancellationToken);
        foreach (var root in ContentRoots(document))
        {
            walker.WalkRoot(root);
        }

        var title = string.IsNullOrWhiteSpace(document.Title) ? null : document.Title.Trim();
        return Task.FromResult(new ExtractedDocument(Core.Documents.MediaTypes.Html, title, blocks));
    }

    /// <summary>The encoding named by a &lt;meta charset&gt; or http-equiv content type in the head of the bytes, or null.</summary>
    internal static Encoding? MetaCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, MetaPrescanBytes)]);
        var at = head.IndexOf("charset", StringComparison.OrdinalIgnoreCase);
        while (at >= 0)
        {
            var i = at + "charset".Length;
            while (i < head.Length && head[i] is ' ' or '=' or '"' or '\'')
            {
                i++;
            }

            var end = i;
            while (end < head.Length && (char.IsAsciiLetterOrDigit(head[end]) || head[end] is '-' or '_' or ':' or '.'))
            {
                end++;
            }

            if (end > i)
            {
                var name = head[i..end];

                // Browsers decode these labels as their supersets; so must we, or rare characters turn into '?'.
                name = name.ToUpperInvariant() switch
                {
                    "GB2312" or "GBK" or "X-GBK" => "GB18030",
                    "ISO-8859-1" or "LATIN1" or "US-ASCII" or "ASCII" => "windows-1252",
                    _ => name,
                };
                var encoding = TextDecoder.GetEncoding(name);
                if (encoding is not null)
                {
                    return encoding;
                }
            }

            at = head.IndexOf("charset", end, StringComparison.OrdinalIgnoreCase);
        }

        return null;
    }

    private static Encoding ChooseEncoding(byte[] bytes, Encoding? sniffed)
    {
        if (TextDecoder.FromByteOrderMark(bytes, out _) is { } byBom)
        {
            return byBom;
        }

        if (TextDecoder.IsValidUtf8(bytes, isWhole: true))
        {
            return TextDecoder.Utf8;
        }

        return MetaCharset(bytes) ?? sniffed ?? TextDecoder.DetectEncoding(bytes, isWhole: true);
    }

    private static List<IElement> ContentRoots(AngleSharp.Html.Dom.IHtmlDocument document)
    {
        var main = document.QuerySelector("main");
        if (main is not null)
        {
            return [main];
        }

        var articles = document.QuerySelectorAll("article").Where(a => a.ParentElement?.Closest("article") is null).ToList();
        if (articles.Count > 0)
        {
            return articles;
        }

        return document.Body is null ? [] : [document.Body];
    }

    private static byte[] ReadBytes(Stream content, ExtractionContext context)
    {
        if (content.CanSeek && content.Length - content.Position > context.Limits.MaxFileBytes)
        {
            throw new HanlinException(ErrorCodes.FileTooLarge, $"'{context.FileName}' is larger than the {context.Limits.MaxFileBytes / (1024 * 1024)} MiB limit.");
        }

        try
        {
            using var buffer = new MemoryStream();
            content.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"'{context.FileName}' could not be read: {ex.Message}", ex);
        }
    }
}
