using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Formats.Office;

namespace Hanlin.Ingestion.Tests.Formats.Office;

public sealed class XlsxExtractorTests
{
    private static readonly ExtractionContext Context = new("营收.xlsx", MediaTypes.Xlsx, ExtractionLimits.Default);

    [Fact]
    public async Task Every_sheet_hidden_ones_included_becomes_a_table_named_after_it_in_workbook_order()
    {
        using var xlsx = SpreadsheetFixtures.TwoSheets();

        var document = await new XlsxExtractor().ExtractAsync(xlsx, Context, TestContext.Current.CancellationToken);

        Assert.Equal(MediaTypes.Xlsx, document.MediaType);
        Assert.Equal("药品营收", document.Title);
        Assert.Equal(["营收", "日期"], document.Blocks.Select(b => b.Section));
        Assert.All(document.Blocks, b => Assert.Equal(BlockKind.Table, b.Kind));
    }

    [Fact]
    public async Task Merged_group_labels_combine_with_the_row_below_into_one_header_per_column()
    {
        using var xlsx = SpreadsheetFixtures.TwoSheets();

        var document = await new XlsxExtractor().ExtractAsync(xlsx, Context, TestContext.Current.CancellationToken);

        var table = document.Blocks[0].Table!;
        Assert.Equal(["药品", "2023 / 收入", "2023 / 成本", "2024 / 收入", "2024 / 成本"], table.Header);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["阿司匹林", "1200.5", "800", "1300", "未披露"], table.Rows[0]);
        Assert.Equal(["布洛芬", "0.1", "0.001", "", ""], table.Rows[1]);
    }

    [Fact]
    public async Task Dates_booleans_and_percentages_read_as_displayed_and_blank_edges_are_trimmed()
    {
        using var xlsx = SpreadsheetFixtures.TwoSheets();

        var document = await new XlsxExtractor().ExtractAsync(xlsx, Context, TestContext.Current.CancellationToken);

        var table = document.Blocks[1].Table!;
        Assert.Equal(["药品", "批准日期", "有效", "占比", "上市", "更新时间"], table.Header);
        var row = Assert.Single(table.Rows);
        Assert.Equal(["阿司匹林", "2024-01-01", "TRUE", "25%", "2024-02-01", "2024-02-01 12:00:00"], row);
    }

    [Fact]
    public async Task A_title_row_above_the_table_becomes_its_caption_not_its_header()
    {
        using var xlsx = SpreadsheetFixtures.TitledTable();

        var document = await new XlsxExtractor().ExtractAsync(xlsx, Context, TestContext.Current.CancellationToken);

        var table = Assert.Single(document.Blocks).Table!;
        Assert.Equal("2024年药品销售表", table.Caption);
        Assert.Equal(["药品", "剂量", "价格"], table.Header);
        Assert.Equal([["阿司匹林", "100mg", "12.5"]], table.Rows);
    }

    [Fact]
    public async Task A_large_sheet_streams_every_row()
    {
        using var xlsx = SpreadsheetFixtures.Large(5_000);

        var document = await new XlsxExtractor().ExtractAsync(xlsx, Context, TestContext.Current.CancellationToken);

        var table = Assert.Single(document.Blocks).Table!;
        Assert.Equal(["编号", "药品", "剂量", "价格", "日期", "备注"], table.Header);
        Assert.Equal(5_000, table.Rows.Count);
        Assert.Equal(["4999", "阿司匹林 52", "100", "1849.63", "2023-11-24", "每日一次，饭后服用"], table.Rows[^1]);
    }

    [Theory]
    [InlineData("yyyy-mm-dd", "Date")]
    [InlineData("[$-804]yyyy\"年\"m\"月\"d\"日\";@", "Date")]
    [InlineData("m/d/yy h:mm", "DateTime")]
    [InlineData("[h]:mm:ss", "Time")]
    [InlineData("mmm", "Date")]
    [InlineData("#,##0.00\"m\"", "Number")]
    [InlineData("0.0%", "Percent")]
    [InlineData("[Red]General", "Number")]
    public void Custom_number_formats_are_classified_by_their_date_tokens(string code, string expected)
    {
        Assert.Equal(expected, SpreadsheetNumberFormats.Classify(code).ToString());
    }

    [Fact]
    public async Task A_truncated_xlsx_is_reported_as_corrupt()
    {
        using var xlsx = SpreadsheetFixtures.TwoSheets();
        using var truncated = new MemoryStream(xlsx.ToArray()[..(int)(xlsx.Length - 40)]);

        var error = await Assert.ThrowsAsync<HanlinException>(() => new XlsxExtractor().ExtractAsync(truncated, Context, TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
    }
}
