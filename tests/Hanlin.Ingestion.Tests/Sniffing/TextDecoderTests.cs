using System.Text;
using Hanlin.Ingestion.Sniffing;

namespace Hanlin.Ingestion.Tests.Sniffing;

public sealed class TextDecoderTests
{
    private const string Chinese = "阿司匹林肠溶片，每日一次。";
    private const string Mixed = "Aspirin 100 mg — 阿司匹林 ✓\nline two";

    private static string DetectAndRead(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var encoding = TextDecoder.DetectEncoding(stream);
        Assert.Equal(0, stream.Position);
        return TextDecoder.ReadAllText(stream, encoding);
    }

    [Fact]
    public void Gb18030_chinese_round_trips_without_mojibake()
    {
        var bytes = TextDecoder.GetEncoding("GB18030")!.GetBytes(Chinese);
        Assert.Equal(Chinese, DetectAndRead(bytes));
    }

    [Theory]
    [InlineData("药品")]
    [InlineData("说明书")]
    [InlineData("每日一次")]
    [InlineData("第一章 总则")]
    [InlineData("剂量: 100mg")]
    public void Short_gbk_strings_that_detectors_often_misread_decode_as_chinese(string text)
    {
        var bytes = TextDecoder.GetEncoding("GBK")!.GetBytes(text);
        Assert.Equal(text, DetectAndRead(bytes));
    }

    [Fact]
    public void A_longer_gbk_document_decodes_as_chinese()
    {
        var text = string.Concat(Enumerable.Repeat("【适应症】用于缓解轻至中度疼痛，如头痛、关节痛。\n【用法用量】口服，成人一次1片。\n", 50));
        Assert.Equal(text, DetectAndRead(TextDecoder.GetEncoding("GBK")!.GetBytes(text)));
    }

    [Fact]
    public void Big5_text_of_reasonable_length_decodes_as_traditional_chinese()
    {
        var text = string.Concat(Enumerable.Repeat("臺灣的醫院與藥局都使用繁體中文書寫處方箋，這份文件說明藥品的用法與注意事項。", 10));
        Assert.Equal(text, DetectAndRead(TextDecoder.GetEncoding("big5")!.GetBytes(text)));
    }

    [Fact]
    public void Shift_jis_japanese_decodes_as_japanese()
    {
        var text = string.Concat(Enumerable.Repeat("この薬は食後に服用してください。副作用が現れた場合は、医師に相談してください。", 10));
        Assert.Equal(text, DetectAndRead(TextDecoder.GetEncoding("shift_jis")!.GetBytes(text)));
    }

    [Fact]
    public void Windows_1252_latin_text_is_not_mistaken_for_chinese()
    {
        var text = "Le médecin a prescrit un traitement à prendre après le déjeuner. Café, crème brûlée et naïveté.";
        Assert.Equal(text, DetectAndRead(TextDecoder.GetEncoding("windows-1252")!.GetBytes(text)));
    }

    [Fact]
    public void Utf8_with_and_without_bom_decodes_and_drops_the_bom()
    {
        var plain = Encoding.UTF8.GetBytes(Mixed);
        Assert.Equal(Mixed, DetectAndRead(plain));
        Assert.Equal(Mixed, DetectAndRead([0xEF, 0xBB, 0xBF, .. plain]));
    }

    [Theory]
    [InlineData("café")]
    [InlineData("naïve résumé, 5 µg ± 2 °C")]
    [InlineData("Ελληνικά κείμενα")]
    [InlineData("Привет мир")]
    [InlineData("שלום")]
    public void Short_utf8_european_text_is_not_mistaken_for_gbk(string text)
    {
        Assert.Equal(text, DetectAndRead(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Utf16_with_bom_decodes_in_both_byte_orders(bool bigEndian)
    {
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes(Mixed)];
        Assert.Equal(Mixed, DetectAndRead(bytes));
    }

    [Fact]
    public void Utf32_little_endian_with_bom_is_not_mistaken_for_utf16()
    {
        var encoding = new UTF32Encoding(bigEndian: false, byteOrderMark: true);
        byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes(Mixed)];
        Assert.Equal(Mixed, DetectAndRead(bytes));
    }

    [Fact]
    public void Utf16_without_bom_is_recognised_from_its_nul_pattern()
    {
        Assert.Equal("Plain ASCII content in UTF-16", DetectAndRead(Encoding.Unicode.GetBytes("Plain ASCII content in UTF-16")));
    }

    [Fact]
    public void A_non_utf8_byte_far_beyond_the_sample_prevents_utf8()
    {
        var gbk = TextDecoder.GetEncoding("GBK")!;
        var text = new string('a', TextDecoder.SampleBytes * 2) + "说明书";
        Assert.NotEqual(TextDecoder.Utf8.CodePage, DetectEncoding(gbk.GetBytes(text)).CodePage);
        Assert.EndsWith("说明书", DetectAndRead(gbk.GetBytes(text)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf8_sequence_split_across_read_chunks_is_still_valid_utf8()
    {
        // 1 MiB chunks: put a three-byte character across the first boundary.
        var text = new string('a', (1024 * 1024) - 1) + "药" + new string('b', 10);
        Assert.Equal(TextDecoder.Utf8.CodePage, DetectEncoding(Encoding.UTF8.GetBytes(text)).CodePage);
    }

    private static Encoding DetectEncoding(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return TextDecoder.DetectEncoding(stream);
    }
}
