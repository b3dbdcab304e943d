using System.Text;
using Hanlin.Core.Documents;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Formats.Text;
using Hanlin.Ingestion.Sniffing;

namespace Hanlin.Ingestion.Tests.Formats.Text;

public sealed class CsvExtractorTests
{
    private static async Task<TableBlock> ExtractTableAsync(byte[] bytes, string fileName = "data.csv")
    {
        using var stream = new MemoryStream(bytes);
        var sniff = new ContentSniffer().Sniff(stream, fileName);
        Assert.Equal(MediaTypes.Csv, sniff.MediaType);
        var context = new ExtractionContext(fileName, sniff.MediaType, ExtractionLimits.Default, sniff.Encoding);
        var doc = await new CsvExtractor().ExtractAsync(stream, context, TestContext.Current.CancellationToken);
        return Assert.Single(doc.Blocks).Table!;
    }

    [Fact]
    public async Task Rfc4180_quoting_keeps_delimiters_quotes_and_line_breaks_inside_fields()
    {
        var table = await ExtractTableAsync(Encoding.UTF8.GetBytes("name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\r\nLee,plain\r\n"));
        Assert.Equal(["name", "note"], table.Header);
        Assert.Equal(["Smith, J", "said \"hi\"\nthen left"], table.Rows[0]);
        Assert.Equal(["Lee", "plain"], table.Rows[1]);
    }

    [Theory]
    [InlineData(";", "data.csv")]
    [InlineData("\t", "data.tsv")]
    [InlineData("\t", "data.csv")]
    public async Task Semicolon_and_tab_delimiters_are_detected(string delimiter, string fileName)
    {
        var text = string.Join("\n", new[] { "药品,名称|剂量", "阿司匹林|100", "布洛芬|200" }.Select(l => l.Replace("|", delimiter, StringComparison.Ordinal)));
        var table = await ExtractTableAsync(Encoding.UTF8.GetBytes(text), fileName);
        Assert.Equal(["药品,名称", "剂量"], table.Header);
        Assert.Equal(2, table.Rows.Count);
    }

    [Fact]
    public async Task Ragged_rows_are_padded_and_extra_columns_get_names()
    {
        var table = await ExtractTableAsync(Encoding.UTF8.GetBytes("a,b,c\n1\n1,2,3,4\n"));
        Assert.Equal(["a", "b", "c", "Column 4"], table.Header);
        Assert.Equal(["1", "", "", ""], table.Rows[0]);
        Assert.Equal(["1", "2", "3", "4"], table.Rows[1]);
    }

    [Fact]
    public async Task A_gb18030_csv_from_excel_decodes_as_chinese()
    {
        var bytes = TextDecoder.GetEncoding("GB18030")!.GetBytes("药品,剂量\n阿司匹林,100mg\n");
        var table = await ExtractTableAsync(bytes);
        Assert.Equal(["药品", "剂量"], table.Header);
        Assert.Equal(["阿司匹林", "100mg"], table.Rows[0]);
    }
}
