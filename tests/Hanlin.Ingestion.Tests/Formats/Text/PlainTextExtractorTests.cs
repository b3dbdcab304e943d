using System.Text;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Formats.Text;
using Hanlin.Ingestion.Sniffing;

namespace Hanlin.Ingestion.Tests.Formats.Text;

public sealed class PlainTextExtractorTests
{
    private static async Task<ExtractedDocument> ExtractAsync(byte[] bytes, string fileName = "notes.txt", ExtractionLimits? limits = null)
    {
        using var stream = new MemoryStream(bytes);
        var sniff = new ContentSniffer().Sniff(stream, fileName);
        Assert.Equal(MediaTypes.PlainText, sniff.MediaType);
        var context = new ExtractionContext(fileName, sniff.MediaType, limits ?? ExtractionLimits.Default, sniff.Encoding);
        return await new PlainTextExtractor().ExtractAsync(stream, context, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Paragraphs_split_on_blank_lines_and_lines_are_joined()
    {
        var doc = await ExtractAsync(Encoding.UTF8.GetBytes("First line\nsecond line.\n\n\nNext paragraph.\r\n"));
        Assert.Equal(["First line second line.", "Next paragraph."], doc.Blocks.Select(b => b.Text));
        Assert.All(doc.Blocks, b => Assert.Equal(BlockKind.Paragraph, b.Kind));
    }

    [Fact]
    public async Task Bullets_and_numbered_lines_become_list_items()
    {
        var doc = await ExtractAsync(Encoding.UTF8.GetBytes("Steps:\n- wash hands\n- take one tablet\n  with water\n1. morning\n2) evening\n"));
        Assert.Equal(
            [(BlockKind.Paragraph, "Steps:"), (BlockKind.ListItem, "wash hands"), (BlockKind.ListItem, "take one tablet with water"), (BlockKind.ListItem, "1. morning"), (BlockKind.ListItem, "2) evening")],
            doc.Blocks.Select(b => (b.Kind, b.Text)));
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("GB18030")]
    [InlineData("GBK")]
    public async Task Chinese_text_is_extracted_in_every_supported_encoding(string encodingName)
    {
        const string text = "【用法用量】\n口服，成人一次1片，每日一次。\n\n【注意事项】\n饭后服用。";
        byte[] bytes = encodingName switch
        {
            "utf-8" => Encoding.UTF8.GetBytes(text),
            "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            "utf-16le" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            "utf-16be" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
            _ => TextDecoder.GetEncoding(encodingName)!.GetBytes(text),
        };
        var doc = await ExtractAsync(bytes, "说明书.txt");
        Assert.Equal(["【用法用量】 口服，成人一次1片，每日一次。", "【注意事项】 饭后服用。"], doc.Blocks.Select(b => b.Text));
        Assert.DoesNotContain(doc.Blocks, b => b.Text.Contains('\uFEFF', StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<HanlinException>(() => ExtractAsync(new byte[100].Select(_ => (byte)'a').ToArray(), limits: new ExtractionLimits { MaxFileBytes = 10 }));
        Assert.Equal(ErrorCodes.FileTooLarge, ex.Code);
    }
}
