using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Formats.Office;

namespace Hanlin.Ingestion.Tests.Formats.Office;

public sealed class OfficePackageGuardTests
{
    private static ExtractionContext Context(ExtractionLimits? limits = null) => new("report.docx", MediaTypes.Docx, limits ?? ExtractionLimits.Default);

    [Fact]
    public async Task A_zip_that_inflates_to_128_MB_is_rejected_as_an_archive_bomb_before_parsing()
    {
        using var bomb = ZipOfZeros("word/document.xml", 128L * 1024 * 1024);
        var limits = new ExtractionLimits { MaxUncompressedBytes = 32L * 1024 * 1024, MaxCompressionRatio = double.MaxValue };

        var error = await Assert.ThrowsAsync<HanlinException>(() => new DocxExtractor().ExtractAsync(bomb, Context(limits), TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.ArchiveBomb, error.Code);
        Assert.Contains("report.docx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_compressed_a_thousandfold_is_rejected_as_an_archive_bomb()
    {
        using var bomb = ZipOfZeros("xl/worksheets/sheet1.xml", 16L * 1024 * 1024);

        var error = await Assert.ThrowsAsync<HanlinException>(() => new XlsxExtractor().ExtractAsync(bomb, Context(), TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.ArchiveBomb, error.Code);
        Assert.Contains("xl/worksheets/sheet1.xml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_with_too_many_entries_is_rejected_as_an_archive_bomb()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < 50; i++)
            {
                archive.CreateEntry($"ppt/media/image{i}.png");
            }
        }

        zip.Position = 0;
        var limits = new ExtractionLimits { MaxArchiveEntries = 40 };

        var error = await Assert.ThrowsAsync<HanlinException>(() => new PptxExtractor().ExtractAsync(zip, Context(limits), TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.ArchiveBomb, error.Code);
    }

    [Fact]
    public async Task A_part_whose_declared_size_is_understated_is_never_inflated_past_it()
    {
        // The central directory and local header claim word/document.xml is 1 KB; it inflates to several MB.
        // System.IO.Compression stops at the declared size, so the XML ends early instead of exhausting memory.
        using var honest = WordFixtures.Plain(20_000);
        var bytes = honest.ToArray();
        UnderstateSize(bytes, "word/document.xml", 1024);
        using var lying = new MemoryStream(bytes);

        var error = await Assert.ThrowsAsync<HanlinException>(() => new DocxExtractor().ExtractAsync(lying, Context(), TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
    }

    [Fact]
    public void Reading_past_the_part_budget_is_an_archive_bomb()
    {
        var budget = new PartReadBudget("report.docx", maxBytes: 4096);
        using var part = budget.Wrap(new MemoryStream(new byte[10_000]));

        var error = Assert.Throws<HanlinException>(() => part.CopyTo(Stream.Null));

        Assert.Equal(ErrorCodes.ArchiveBomb, error.Code);
    }

    [Fact]
    public async Task A_password_protected_office_file_is_reported_as_encrypted()
    {
        using var encrypted = new MemoryStream(CompoundFile("EncryptionInfo", "EncryptedPackage"));

        Assert.True(OfficePackageGuard.IsEncryptedOfficeFile(encrypted.ToArray().AsSpan(0, 8), encrypted));
        var error = await Assert.ThrowsAsync<HanlinException>(() => new DocxExtractor().ExtractAsync(encrypted, Context(), TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.EncryptedFile, error.Code);
    }

    [Fact]
    public async Task A_legacy_binary_word_file_is_unsupported_with_a_hint_to_save_as_docx()
    {
        using var legacy = new MemoryStream(CompoundFile("WordDocument", "1Table"));

        Assert.False(OfficePackageGuard.IsEncryptedOfficeFile(legacy.ToArray().AsSpan(0, 8), legacy));
        var error = await Assert.ThrowsAsync<HanlinException>(() => new DocxExtractor().ExtractAsync(legacy, Context(), TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.UnsupportedMediaType, error.Code);
        Assert.Contains(".docx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_that_are_not_a_zip_are_reported_as_corrupt()
    {
        using var text = new MemoryStream(Encoding.UTF8.GetBytes("这不是一个 Office 文件"));

        var error = await Assert.ThrowsAsync<HanlinException>(() => new DocxExtractor().ExtractAsync(text, Context(), TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
    }

    private static MemoryStream ZipOfZeros(string entryName, long bytes)
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(entryName, CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < bytes; written += zeros.Length)
            {
                entry.Write(zeros, 0, (int)Math.Min(zeros.Length, bytes - written));
            }
        }

        zip.Position = 0;
        return zip;
    }

    // Rewrites the uncompressed size of one entry in both its local header (offset 22) and its central
    // directory record (offset 24), as a hostile zip would.
    private static void UnderstateSize(byte[] zip, string entryName, uint size)
    {
        var name = Encoding.UTF8.GetBytes(entryName);
        var patched = 0;
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034b50 && zip.AsSpan(i + 30).StartsWith(name) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 26)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), size);
                patched++;
            }
            else if (signature == 0x02014b50 && zip.AsSpan(i + 46).StartsWith(name) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), size);
                patched++;
            }
        }

        Assert.Equal(2, patched);
    }

    // A minimal OLE compound file: the 512-byte header (signature, version 3, 512-byte sectors) and one
    // directory sector whose 128-byte entries name the given streams.
    private static byte[] CompoundFile(params string[] streams)
    {
        var file = new byte[512 * 2];
        byte[] magic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        magic.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(26), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(28), 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(30), 9);
        string[] names = ["Root Entry", .. streams];
        for (var i = 0; i < names.Length; i++)
        {
            var entry = file.AsSpan(512 + (i * 128), 128);
            var name = Encoding.Unicode.GetBytes(names[i] + "\0");
            name.CopyTo(entry);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[64..], (ushort)name.Length);
            entry[66] = (byte)(i == 0 ? 5 : 2);
        }

        return file;
    }
}
