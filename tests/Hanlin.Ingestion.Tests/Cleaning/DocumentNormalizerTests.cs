using Hanlin.Core.Documents;
using Hanlin.Ingestion.Cleaning;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Tests.Cleaning;

public sealed class DocumentNormalizerTests
{
    private static NormalizedDocument Normalize(params DocumentBlock[] blocks) =>
        new DocumentNormalizer().Normalize(new ExtractedDocument(MediaTypes.Markdown, " 说明书\n标题 ", blocks, PageCount: 3, PagesNeedingOcr: [2]));

    [Fact]
    public void Every_block_span_is_exactly_its_cleaned_text()
    {
        var doc = Normalize(
            new DocumentBlock(BlockKind.Heading, " 第一章 \n 总则 ", HeadingLevel: 1),
            new DocumentBlock(BlockKind.Paragraph, "阿 司 匹 林，\r\n\r\n\r\n每日一次。"),
            new DocumentBlock(BlockKind.ListItem, "  ＡＢＣ１２３ "),
            new DocumentBlock(BlockKind.Table, string.Empty, Table: new TableBlock(["药品", "剂量"], [["阿司匹林", "100 mg"]], "表 1")));

        Assert.Equal(4, doc.Blocks.Count);
        Assert.Equal("第一章总则", doc.Text.Substring(doc.Blocks[0].Start, doc.Blocks[0].Length));
        Assert.Equal("阿司匹林，\n\n每日一次。", doc.Text.Substring(doc.Blocks[1].Start, doc.Blocks[1].Length));
        Assert.Equal("ABC123", doc.Text.Substring(doc.Blocks[2].Start, doc.Blocks[2].Length));
        Assert.Equal("表 1\n| 药品 | 剂量 |\n| --- | --- |\n| 阿司匹林 | 100 mg |", doc.Text.Substring(doc.Blocks[3].Start, doc.Blocks[3].Length));
        Assert.Equal(string.Join("\n\n", doc.Blocks.Select(b => doc.Text.Substring(b.Start, b.Length))), doc.Text);
    }

    [Fact]
    public void Blocks_that_clean_to_nothing_are_dropped()
    {
        var doc = Normalize(
            new DocumentBlock(BlockKind.Paragraph, "\u200B \u3000"),
            new DocumentBlock(BlockKind.Heading, "  ", HeadingLevel: 1),
            new DocumentBlock(BlockKind.Paragraph, "kept"),
            new DocumentBlock(BlockKind.Table, string.Empty, Table: new TableBlock([" "], [[" "]])));
        var block = Assert.Single(doc.Blocks);
        Assert.Equal("kept", doc.Text);
        Assert.Equal(0, block.Start);
        Assert.Equal(string.Empty, block.SectionPath);
    }

    [Fact]
    public void Section_paths_follow_heading_levels()
    {
        var doc = Normalize(
            new DocumentBlock(BlockKind.Heading, "A", HeadingLevel: 1),
            new DocumentBlock(BlockKind.Heading, "A.1", HeadingLevel: 2),
            new DocumentBlock(BlockKind.Heading, "A.1.a", HeadingLevel: 3),
            new DocumentBlock(BlockKind.Paragraph, "deep"),
            new DocumentBlock(BlockKind.Heading, "A.2", HeadingLevel: 2),
            new DocumentBlock(BlockKind.Paragraph, "second"),
            new DocumentBlock(BlockKind.Heading, "B", HeadingLevel: 1),
            new DocumentBlock(BlockKind.Paragraph, "last"));
        Assert.Equal(
            ["A", "A > A.1", "A > A.1 > A.1.a", "A > A.1 > A.1.a", "A > A.2", "A > A.2", "B", "B"],
            doc.Blocks.Select(b => b.SectionPath));
    }

    [Fact]
    public void A_format_section_is_appended_after_the_headings()
    {
        var doc = Normalize(
            new DocumentBlock(BlockKind.Paragraph, "rows", Section: "Sheet1"),
            new DocumentBlock(BlockKind.Heading, "Slide title", Page: 2, HeadingLevel: 1),
            new DocumentBlock(BlockKind.Paragraph, "speaker notes", Page: 2, Section: "Notes"),
            new DocumentBlock(BlockKind.Paragraph, "same label", Section: "Slide title"));
        Assert.Equal(["Sheet1", "Slide title", "Slide title > Notes", "Slide title"], doc.Blocks.Select(b => b.SectionPath));
        Assert.Equal(2, doc.Blocks[2].Page);
    }

    [Fact]
    public void Table_cells_are_cleaned_and_kept_on_the_block()
    {
        var doc = Normalize(new DocumentBlock(BlockKind.Table, string.Empty, Table: new TableBlock(["Ｎａｍｅ", "Note"], [["a\nb", "x|y"], [" ", ""]])));
        var table = Assert.Single(doc.Blocks).Table!;
        Assert.Equal(["Name", "Note"], table.Header);
        Assert.Equal(["a b", "x|y"], Assert.Single(table.Rows));
        Assert.Equal("| Name | Note |\n| --- | --- |\n| a b | x\\|y |", doc.Text);
    }

    [Fact]
    public void Title_page_count_and_ocr_pages_are_carried_over()
    {
        var doc = Normalize(new DocumentBlock(BlockKind.Paragraph, "x"));
        Assert.Equal("说明书标题", doc.Title);
        Assert.Equal(3, doc.PageCount);
        Assert.Equal([2], doc.PagesNeedingOcr);
        Assert.Equal(MediaTypes.Markdown, doc.MediaType);
    }

    [Fact]
    public void A_large_document_keeps_block_order_offsets_and_sections()
    {
        var source = Enumerable.Range(0, 3000)
            .Select(i => i % 3 == 0
                ? new DocumentBlock(BlockKind.Heading, $"第 {i} 节", HeadingLevel: 1 + (i % 2))
                : new DocumentBlock(BlockKind.Paragraph, i % 5 == 0 ? "\u200B" : $"  段落 {i}，阿 司 匹 林 tablet {i}  "))
            .ToArray();
        var doc = Normalize(source);
        var kept = source.Where(b => TextNormalizer.Normalize(b.Text).Length > 0).ToList();
        Assert.Equal(kept.Count, doc.Blocks.Count);
        for (var i = 0; i < kept.Count; i++)
        {
            var expected = kept[i].Kind == BlockKind.Heading ? TextNormalizer.NormalizeLine(kept[i].Text) : TextNormalizer.Normalize(kept[i].Text);
            Assert.Equal(expected, doc.Text.Substring(doc.Blocks[i].Start, doc.Blocks[i].Length));
        }

        Assert.Equal("第 2994 节 > 第 2997 节", doc.Blocks[^1].SectionPath);
    }
}
