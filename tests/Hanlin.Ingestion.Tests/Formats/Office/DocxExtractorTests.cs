using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Formats.Office;

namespace Hanlin.Ingestion.Tests.Formats.Office;

public sealed class DocxExtractorTests
{
    private static readonly ExtractionContext Context = new("handbook.docx", MediaTypes.Docx, ExtractionLimits.Default);

    [Fact]
    public async Task Headings_lists_tables_and_inline_content_come_out_in_reading_order()
    {
        using var docx = WordFixtures.Handbook();

        var document = await new DocxExtractor().ExtractAsync(docx, Context, TestContext.Current.CancellationToken);

        Assert.Equal(MediaTypes.Docx, document.MediaType);
        Assert.Equal("药品手册", document.Title);
        var blocks = document.Blocks;
        Assert.Equal(
            [
                (BlockKind.Heading, "药品手册", 1),
                (BlockKind.Heading, "第一章 概述", 1),
                (BlockKind.Paragraph, "阿司匹林是一种常用药物，参见说明书（内容控件）。", 0),
                (BlockKind.Heading, "用法用量", 2),
                (BlockKind.ListItem, "1. 口服", 0),
                (BlockKind.ListItem, "2. 饭后服用", 0),
                (BlockKind.ListItem, "2.a) 每日一次", 0),
                (BlockKind.ListItem, "注意出血风险", 0),
                (BlockKind.Paragraph, "块级内容控件中的段落", 0),
                (BlockKind.Table, string.Empty, 0),
                (BlockKind.Heading, "不良反应", 2),
                (BlockKind.Paragraph, "文本框内容", 0),
                (BlockKind.Paragraph, "剂量以成人计。", 0),
            ],
            blocks.Select(b => (b.Kind, b.Text, b.HeadingLevel)).ToArray());
        Assert.Equal(DocxExtractor.FootnotesSection, blocks[^1].Section);
        Assert.All(blocks.SkipLast(1), b => Assert.Null(b.Section));
    }

    [Fact]
    public async Task Merged_and_nested_table_cells_resolve_to_a_rectangular_grid()
    {
        using var docx = WordFixtures.Handbook();

        var document = await new DocxExtractor().ExtractAsync(docx, Context, TestContext.Current.CancellationToken);

        var table = Assert.Single(document.Blocks, b => b.Kind == BlockKind.Table).Table!;
        Assert.Equal(["药品", "剂量", "备注"], table.Header);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["阿司匹林", "每日 100 mg", "每日 100 mg"], table.Rows[0]);
        Assert.Equal("阿司匹林", table.Rows[1][0]);
        Assert.Equal("最多 300 mg", table.Rows[1][1]);
        Assert.Equal("规格：\n片剂 100mg\n肠溶片 300mg", table.Rows[1][2]);
    }

    [Fact]
    public async Task The_shared_trustee_handbook_yields_its_chapter_text_in_order()
    {
        var path = SharedData.Require("documents/docx/handbook-1p.docx");
        await using var file = File.OpenRead(path);

        var document = await new DocxExtractor().ExtractAsync(file, Context with { FileName = "handbook-1p.docx" }, TestContext.Current.CancellationToken);

        // The file styles nothing as a heading (its headings are bold Verdana runs), so all blocks are paragraphs.
        Assert.All(document.Blocks, b => Assert.Equal(BlockKind.Paragraph, b.Kind));
        var texts = document.Blocks.Select(b => b.Text.Trim()).Where(t => t.Length > 0).ToList();
        Assert.Equal("CHAPTER 1", texts[0]);
        Assert.Equal("INTRODUCTION", texts[1]);
        Assert.Equal("CHAPTER 1 – INTRODUCTION", texts[2]);
        Assert.Equal("A.\tPURPOSE", texts[3]);
        Assert.StartsWith("The United States Trustee appoints and supervises standing trustees", texts[4], StringComparison.Ordinal);
        Assert.Contains("B.\tROLE OF THE UNITED STATES TRUSTEE", texts);
        Assert.Contains("C.\tSTATUTORY DUTIES OF A STANDING TRUSTEE", texts);
        Assert.Null(document.Title);
    }

    [Fact]
    public async Task A_truncated_docx_is_reported_as_corrupt()
    {
        using var docx = WordFixtures.Handbook();
        using var truncated = new MemoryStream(docx.ToArray()[..(int)(docx.Length / 2)]);

        var error = await Assert.ThrowsAsync<HanlinException>(() => new DocxExtractor().ExtractAsync(truncated, Context, TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("handbook.docx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zip_that_is_not_a_word_document_is_reported_as_corrupt()
    {
        using var xlsx = SpreadsheetFixtures.TwoSheets();

        var error = await Assert.ThrowsAsync<HanlinException>(() => new DocxExtractor().ExtractAsync(xlsx, Context, TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
    }

    [Fact]
    public async Task A_cancelled_extraction_stops_with_OperationCanceledException()
    {
        using var docx = WordFixtures.Plain(50);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DocxExtractor().ExtractAsync(docx, Context, cancellation.Token));
    }
}
