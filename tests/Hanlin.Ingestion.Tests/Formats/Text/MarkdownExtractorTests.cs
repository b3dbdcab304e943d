using System.Text;
using Hanlin.Core.Documents;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Formats.Text;

namespace Hanlin.Ingestion.Tests.Formats.Text;

public sealed class MarkdownExtractorTests
{
    private static async Task<ExtractedDocument> ExtractAsync(string markdown)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(markdown));
        var context = new ExtractionContext("doc.md", MediaTypes.Markdown, ExtractionLimits.Default);
        return await new MarkdownExtractor().ExtractAsync(stream, context, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Atx_and_setext_headings_keep_their_levels()
    {
        var doc = await ExtractAsync("# 药品说明书\n\nIntro text.\n\nUsage\n-----\n\n### Details\n\nBody.\n");
        Assert.Equal(
            [(BlockKind.Heading, "药品说明书", 1), (BlockKind.Paragraph, "Intro text.", 0), (BlockKind.Heading, "Usage", 2), (BlockKind.Heading, "Details", 3), (BlockKind.Paragraph, "Body.", 0)],
            doc.Blocks.Select(b => (b.Kind, b.Text, b.HeadingLevel)));
        Assert.Equal("药品说明书", doc.Title);
    }

    [Fact]
    public async Task Front_matter_is_skipped_and_links_keep_their_text()
    {
        var doc = await ExtractAsync("---\ntitle: secret\ntags: [a]\n---\n\nSee [the label](https://example.com/x) and ![chart](c.png) and `code`.\n");
        var block = Assert.Single(doc.Blocks);
        Assert.Equal("See the label and chart and code.", block.Text);
    }

    [Fact]
    public async Task Nested_lists_are_flattened_in_reading_order()
    {
        var doc = await ExtractAsync("- one\n  - one.a\n  - one.b\n- two\n\n1. first\n2. second\n");
        Assert.Equal(["one", "one.a", "one.b", "two", "1. first", "2. second"], doc.Blocks.Select(b => b.Text));
        Assert.All(doc.Blocks, b => Assert.Equal(BlockKind.ListItem, b.Kind));
    }

    [Fact]
    public async Task Pipe_tables_become_table_blocks()
    {
        var doc = await ExtractAsync("| 药品 | 剂量 |\n|---|---|\n| 阿司匹林 | 100 mg |\n| 布洛芬 |\n");
        var table = Assert.Single(doc.Blocks).Table!;
        Assert.Equal(["药品", "剂量"], table.Header);
        Assert.Equal(["阿司匹林", "100 mg"], table.Rows[0]);
        Assert.Equal(["布洛芬", ""], table.Rows[1]);
    }

    [Fact]
    public async Task Code_blocks_are_paragraphs_and_html_blocks_are_reduced_to_text()
    {
        var doc = await ExtractAsync("```python\nprint('hi')\n```\n\n<div class=\"note\">\n<p>Keep <b>this</b></p>\n<script>drop()</script>\n</div>\n");
        Assert.Equal(["print('hi')", "Keep this"], doc.Blocks.Select(b => b.Text.Trim()));
    }

    [Fact]
    public async Task Soft_line_breaks_join_lines_with_a_space()
    {
        var doc = await ExtractAsync("first line\nsecond line\n");
        Assert.Equal("first line second line", Assert.Single(doc.Blocks).Text);
    }

    [Fact]
    public void A_document_cut_into_parts_gives_the_same_blocks_as_one_parse()
    {
        var sb = new StringBuilder("---\ntitle: x\n# not a heading in front matter\n---\n\n");
        for (var i = 0; sb.Length < 100_000; i++)
        {
            sb.Append("# 第").Append(i).Append("章\n\nParagraph with **bold** and 中文 text\nwrapped line.\n\n- item\n  - nested\n# right after a list\n\n");
            sb.Append("```\n# inside a fence, not a heading\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## Sub ").Append(i).Append("\n\n> quoted\n\n");
        }

        var text = sb.ToString();
        var parts = MarkdownSections.Split(text, maxParts: 8, minimumPartChars: 4096);
        Assert.True(parts.Count > 4);
        Assert.Equal(text.Length, parts.Sum(p => p.Length));
        var token = TestContext.Current.CancellationToken;
        var whole = MarkdownExtractor.ParsePart(text, token);
        var pieced = parts.SelectMany(p => MarkdownExtractor.ParsePart(text.Substring(p.Start, p.Length), token)).ToList();
        static string Describe(DocumentBlock b) => $"{b.Kind}|{b.HeadingLevel}|{b.Text}|{(b.Table is null ? "" : MarkdownTableRenderer.Render(b.Table))}";
        Assert.Equal(whole.Select(Describe), pieced.Select(Describe));
        Assert.DoesNotContain(pieced, b => b.Kind == BlockKind.Heading && b.Text.Contains("inside a fence", StringComparison.Ordinal));
    }

    [Fact]
    public void Link_reference_definitions_prevent_cutting()
    {
        var text = string.Concat(Enumerable.Repeat("# H\n\nSee [docs][d].\n\n", 2000)) + "[d]: https://example.com\n";
        Assert.Single(MarkdownSections.Split(text, maxParts: 8, minimumPartChars: 1024));
    }
}
