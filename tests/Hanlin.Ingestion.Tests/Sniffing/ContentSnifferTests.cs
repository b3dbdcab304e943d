using System.IO.Compression;
using System.Text;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Sniffing;

namespace Hanlin.Ingestion.Tests.Sniffing;

public sealed class ContentSnifferTests
{
    private static readonly byte[] PngHeader = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private static SniffResult Sniff(byte[] bytes, string fileName)
    {
        using var stream = new MemoryStream(bytes);
        return new ContentSniffer().Sniff(stream, fileName);
    }

    private static HanlinException SniffFails(byte[] bytes, string fileName) => Assert.Throws<HanlinException>(() => Sniff(bytes, fileName));

    private static byte[] Zip(params string[] entryNames)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in entryNames)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write("<x/>");
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public void A_pdf_is_recognised_even_after_leading_junk()
    {
        Assert.Equal(MediaTypes.Pdf, Sniff("%PDF-1.7\n%âãÏÓ\n1 0 obj"u8.ToArray(), "report.bin").MediaType);
        Assert.Equal(MediaTypes.Pdf, Sniff([.. new byte[300], .. "%PDF-1.4\n"u8], "report.pdf").MediaType);
    }

    [Fact]
    public void Office_packages_are_told_apart_by_their_entries_not_their_names()
    {
        Assert.Equal(MediaTypes.Docx, Sniff(Zip("[Content_Types].xml", "word/document.xml"), "x.xlsx").MediaType);
        Assert.Equal(MediaTypes.Xlsx, Sniff(Zip("[Content_Types].xml", "xl/workbook.xml"), "x.docx").MediaType);
        Assert.Equal(MediaTypes.Pptx, Sniff(Zip("[Content_Types].xml", "ppt/presentation.xml"), "x.zip").MediaType);
    }

    [Fact]
    public void A_plain_zip_archive_is_unsupported()
    {
        var ex = SniffFails(Zip("readme.txt", "data/a.csv"), "bundle.docx");
        Assert.Equal(ErrorCodes.UnsupportedMediaType, ex.Code);
        Assert.Contains("zip archive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_zip_is_reported_as_corrupt()
    {
        var zip = Zip("[Content_Types].xml", "word/document.xml");
        Assert.Equal(ErrorCodes.CorruptFile, SniffFails(zip[..(zip.Length / 2)], "cut.docx").Code);
    }

    [Fact]
    public void An_encrypted_office_file_is_reported_as_encrypted()
    {
        byte[] ole = [.. OleMagic, .. new byte[2000], .. Encoding.Unicode.GetBytes("EncryptionInfo"), .. new byte[100], .. Encoding.Unicode.GetBytes("EncryptedPackage")];
        Assert.Equal(ErrorCodes.EncryptedFile, SniffFails(ole, "secret.docx").Code);
    }

    [Fact]
    public void A_legacy_word_file_is_unsupported_with_a_hint_to_save_as_docx()
    {
        byte[] ole = [.. OleMagic, .. new byte[2000], .. Encoding.Unicode.GetBytes("WordDocument")];
        var ex = SniffFails(ole, "old.doc");
        Assert.Equal(ErrorCodes.UnsupportedMediaType, ex.Code);
        Assert.Contains(".docx", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_png_named_pdf_is_unsupported_and_says_it_needs_ocr()
    {
        var ex = SniffFails([.. PngHeader, .. new byte[64]], "scan.pdf");
        Assert.Equal(ErrorCodes.UnsupportedMediaType, ex.Code);
        Assert.Contains("OCR", ex.Message, StringComparison.Ordinal);
        Assert.Contains("scan.pdf", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0 }, "ELF")]
    [InlineData(new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0 }, "gzip")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, "JPEG")]
    public void Known_binary_formats_are_named_in_the_rejection(byte[] head, string format)
    {
        var ex = SniffFails([.. head, .. new byte[100]], "notes.txt");
        Assert.Equal(ErrorCodes.UnsupportedMediaType, ex.Code);
        Assert.Contains(format, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_rejected_as_empty()
    {
        Assert.Equal(ErrorCodes.EmptyFile, SniffFails([], "empty.txt").Code);
    }

    [Fact]
    public void Binary_garbage_named_txt_is_rejected_as_binary()
    {
        var random = new Random(42);
        var garbage = new byte[4096];
        random.NextBytes(garbage);
        var ex = SniffFails(garbage, "notes.txt");
        Assert.Equal(ErrorCodes.BinaryContent, ex.Code);
        Assert.Contains("binary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_garbage_without_nul_bytes_is_still_rejected_as_binary()
    {
        var random = new Random(7);
        var garbage = new byte[4096];
        random.NextBytes(garbage);
        for (var i = 0; i < garbage.Length; i++)
        {
            garbage[i] = garbage[i] == 0 ? (byte)1 : garbage[i];
        }

        Assert.Equal(ErrorCodes.BinaryContent, SniffFails(garbage, "notes.txt").Code);
    }

    [Fact]
    public void Sniffing_restores_the_stream_position()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("hello world\n"));
        stream.Position = 0;
        new ContentSniffer().Sniff(stream, "a.txt");
        Assert.Equal(0, stream.Position);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body><p>x</p></body></html>", "page.txt", MediaTypes.Html)]
    [InlineData("\uFEFF  <!-- generated --><html lang=\"zh\"><p>药品</p></html>", "page", MediaTypes.Html)]
    [InlineData("Some intro\n<head><title>t</title></head><body>x</body>", "page.dat", MediaTypes.Html)]
    [InlineData("# Title\n\nSome text.\n", "notes.md", MediaTypes.Markdown)]
    [InlineData("# 用法用量\n\n- 口服\n- 每日一次\n", "notes", MediaTypes.Markdown)]
    [InlineData("a,b,c\n1,2,3\n", "data.csv", MediaTypes.Csv)]
    [InlineData("name;dose;unit\n阿司匹林;100;mg\n布洛芬;200;mg\n", "export", MediaTypes.Csv)]
    [InlineData("name\tdose\nA\t1\nB\t2\n", "data.tsv", MediaTypes.Csv)]
    [InlineData("Just a sentence.\nAnother one, with a comma.\n", "notes.txt", MediaTypes.PlainText)]
    [InlineData("阿司匹林肠溶片，每日一次。\n", "说明书.txt", MediaTypes.PlainText)]
    public void Text_formats_are_told_apart_by_content_and_extension(string text, string fileName, string expected)
    {
        var result = Sniff(Encoding.UTF8.GetBytes(text), fileName);
        Assert.Equal(expected, result.MediaType);
        Assert.NotNull(result.Encoding);
    }

    [Fact]
    public void Gb18030_text_is_sniffed_as_text_with_its_encoding()
    {
        var bytes = TextDecoder.GetEncoding("GB18030")!.GetBytes("阿司匹林肠溶片，每日一次。饭后服用。");
        var result = Sniff(bytes, "说明.txt");
        Assert.Equal(MediaTypes.PlainText, result.MediaType);
        Assert.Equal(54936, result.Encoding!.CodePage);
    }

    [Fact]
    public void Utf16_text_with_nul_bytes_is_text_not_binary()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Dose: 100 mg\n剂量")).ToArray();
        var result = Sniff(bytes, "dose.txt");
        Assert.Equal(MediaTypes.PlainText, result.MediaType);
        Assert.IsType<UnicodeEncoding>(result.Encoding);
    }
}
