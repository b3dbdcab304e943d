using System.Text;
using Hanlin.Core.Documents;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Formats.Text;
using Hanlin.Ingestion.Sniffing;

namespace Hanlin.Ingestion.Tests.Formats.Text;

public sealed class HtmlExtractorTests
{
    private static async Task<ExtractedDocument> ExtractAsync(byte[] bytes, string fileName = "page.html")
    {
        using var stream = new MemoryStream(bytes);
        var sniff = new ContentSniffer().Sniff(stream, fileName);
        Assert.Equal(MediaTypes.Html, sniff.MediaType);
        var context = new ExtractionContext(fileName, sniff.MediaType, ExtractionLimits.Default, sniff.Encoding);
        return await new HtmlExtractor().ExtractAsync(stream, context, TestContext.Current.CancellationToken);
    }

    private static Task<ExtractedDocument> ExtractAsync(string html) => ExtractAsync(Encoding.UTF8.GetBytes(html));

    [Fact]
    public async Task Navigation_scripts_and_footers_are_dropped()
    {
        var doc = await ExtractAsync("""
            <!DOCTYPE html><html><head><title> 阿司匹林 说明书 </title><style>p{color:red}</style></head>
            <body>
              <header><a href="/">Home</a> SITE BANNER</header>
              <nav><ul><li>Menu item</li></ul></nav>
              <div role="navigation">Breadcrumbs</div>
              <h1>用法用量</h1>
              <p>口服，成人一次1片。<script>track()</script></p>
              <aside>Related links</aside>
              <noscript>Enable JS</noscript>
              <form><input name="q"> Search</form>
              <footer>© 2024 Company</footer>
            </body></html>
            """);
        Assert.Equal("阿司匹林 说明书", doc.Title);
        Assert.Equal([(BlockKind.Heading, "用法用量"), (BlockKind.Paragraph, "口服，成人一次1片。")], doc.Blocks.Select(b => (b.Kind, b.Text.Trim())));
    }

    [Fact]
    public async Task Main_is_preferred_over_the_rest_of_the_body_and_article_headers_are_kept()
    {
        var doc = await ExtractAsync("""
            <html><body><div class="sidebar">Sidebar junk</div>
            <main><article><header><h1>Article title</h1></header><p>Body text.</p><footer>Article note</footer></article></main>
            </body></html>
            """);
        Assert.Equal(["Article title", "Body text.", "Article note"], doc.Blocks.Select(b => b.Text.Trim()));
    }

    [Fact]
    public async Task List_items_and_headings_keep_their_structure()
    {
        var doc = await ExtractAsync("<html><body><h2>Steps</h2><ol><li>Wash <b>hands</b><ul><li>with soap</li></ul></li><li>Dry</li></ol><div>Loose <span>text</span> here</div></body></html>");
        Assert.Equal(
            [(BlockKind.Heading, "Steps", 2), (BlockKind.ListItem, "Wash hands", 0), (BlockKind.ListItem, "with soap", 0), (BlockKind.ListItem, "Dry", 0), (BlockKind.Paragraph, "Loose text here", 0)],
            doc.Blocks.Select(b => (b.Kind, b.Text.Trim(), b.HeadingLevel)));
    }

    [Fact]
    public async Task Tables_resolve_colspan_rowspan_and_multi_row_headers()
    {
        var doc = await ExtractAsync("""
            <html><body><table><caption>Results</caption>
              <thead><tr><th rowspan="2">Drug</th><th colspan="2">2023</th></tr><tr><th>Q1</th><th>Q2</th></tr></thead>
              <tbody><tr><td rowspan="2">Aspirin</td><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></tbody>
            </table></body></html>
            """);
        var table = Assert.Single(doc.Blocks).Table!;
        Assert.Equal("Results", table.Caption);
        Assert.Equal(["Drug", "2023 / Q1", "2023 / Q2"], table.Header);
        Assert.Equal(["Aspirin", "1", "2"], table.Rows[0]);
        Assert.Equal(["Aspirin", "3", "4"], table.Rows[1]);
    }

    [Fact]
    public async Task A_gbk_page_is_decoded_by_its_meta_charset()
    {
        var html = "<html><head><meta charset=\"gb2312\"><title>药品</title></head><body><p>阿司匹林肠溶片，每日一次。</p></body></html>";
        var doc = await ExtractAsync(TextDecoder.GetEncoding("GBK")!.GetBytes(html));
        Assert.Equal("药品", doc.Title);
        Assert.Equal("阿司匹林肠溶片，每日一次。", Assert.Single(doc.Blocks).Text.Trim());
    }

    [Fact]
    public void Meta_charset_is_read_from_http_equiv_too()
    {
        var bytes = Encoding.ASCII.GetBytes("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">");
        Assert.Equal(TextDecoder.GetEncoding("big5")!.CodePage, HtmlExtractor.MetaCharset(bytes)!.CodePage);
    }

    [Fact]
    public async Task Text_below_the_nesting_depth_limit_is_kept_as_one_paragraph()
    {
        const int depth = 1_000;
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<div><span>", depth)) + "deep text" + string.Concat(Enumerable.Repeat("</span></div>", depth)) + "</body></html>";
        var doc = await ExtractAsync(html);
        Assert.Contains(doc.Blocks, b => b.Text.Contains("deep text", StringComparison.Ordinal));
    }
}
