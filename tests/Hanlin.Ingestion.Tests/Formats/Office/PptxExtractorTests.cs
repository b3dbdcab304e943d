using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Formats.Office;

namespace Hanlin.Ingestion.Tests.Formats.Office;

public sealed class PptxExtractorTests
{
    private static readonly ExtractionContext Context = new("培训.pptx", MediaTypes.Pptx, ExtractionLimits.Default);

    [Fact]
    public async Task Slides_read_in_presentation_order_with_titles_first_then_top_to_bottom_and_notes_last()
    {
        using var pptx = PresentationFixtures.TwoSlides();

        var document = await new PptxExtractor().ExtractAsync(pptx, Context, TestContext.Current.CancellationToken);

        Assert.Equal(MediaTypes.Pptx, document.MediaType);
        Assert.Equal("阿司匹林培训", document.Title);
        Assert.Equal(2, document.PageCount);
        Assert.Equal(
            [
                (1, BlockKind.Heading, "阿司匹林简介", (string?)null),
                (1, BlockKind.Paragraph, "副标题文字", null),
                (1, BlockKind.ListItem, "解热镇痛", null),
                (1, BlockKind.ListItem, "抗血小板", null),
                (1, BlockKind.Paragraph, "说明：见下表", null),
                (1, BlockKind.Table, string.Empty, null),
                (1, BlockKind.Paragraph, "页脚说明文字", null),
                (1, BlockKind.Paragraph, "讲解时强调出血风险", PptxExtractor.NotesSection),
                (2, BlockKind.Heading, "用法", null),
                (2, BlockKind.ListItem, "1. 口服", null),
                (2, BlockKind.ListItem, "2. 饭后", null),
            ],
            document.Blocks.Select(b => (b.Page ?? 0, b.Kind, b.Text, b.Section)).ToArray());
        Assert.All(document.Blocks.Where(b => b.Kind == BlockKind.Heading), b => Assert.Equal(1, b.HeadingLevel));
    }

    [Fact]
    public async Task A_slide_table_keeps_its_header_and_repeats_merged_cells()
    {
        using var pptx = PresentationFixtures.TwoSlides();

        var document = await new PptxExtractor().ExtractAsync(pptx, Context, TestContext.Current.CancellationToken);

        var table = Assert.Single(document.Blocks, b => b.Kind == BlockKind.Table).Table!;
        Assert.Equal(["药品", "剂量"], table.Header);
        Assert.Equal([["阿司匹林", "100mg"], ["仅限成人", "仅限成人"]], table.Rows);
    }

    [Fact]
    public async Task A_truncated_pptx_is_reported_as_corrupt()
    {
        using var pptx = PresentationFixtures.TwoSlides();
        using var truncated = new MemoryStream(pptx.ToArray()[..(int)(pptx.Length * 3 / 4)]);

        var error = await Assert.ThrowsAsync<HanlinException>(() => new PptxExtractor().ExtractAsync(truncated, Context, TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
    }
}
