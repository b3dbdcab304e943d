using System.IO.Compression;
using System.Text;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;

namespace Hanlin.Ingestion.Sniffing;

/// <summary>
/// Decides what a file is from its bytes; the file name only breaks ties between text formats
/// (<c>.md</c>, <c>.csv</c>). Rejects what Hanlin cannot ingest with a <see cref="HanlinException"/>
/// whose code says why (<c>empty_file</c>, <c>unsupported_media_type</c>, <c>encrypted_file</c>,
/// <c>binary_content</c>, <c>corrupt_file</c>).
/// </summary>
public sealed class ContentSniffer
{
    private const int HeadBytes = TextDecoder.SampleBytes;

    // Above this share of control characters and U+FFFD in decoded text, the bytes are not text.
    // Real text stays far below it (ANSI-coloured logs reach about 2-3%); random bytes are above 10%.
    private const double MaxGarbageRatio = 0.05;

    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    // "EncryptionInfo" as UTF-16LE, the name of the stream an encrypted OOXML package stores in its OLE container.
    private static readonly byte[] EncryptionInfoName = Encoding.Unicode.GetBytes("EncryptionInfo");

    private static readonly (byte[] Magic, string Format, bool IsImage)[] BinaryMagics =
    [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG image", true),
        ([0xFF, 0xD8, 0xFF], "JPEG image", true),
        ("GIF87a"u8.ToArray(), "GIF image", true),
        ("GIF89a"u8.ToArray(), "GIF image", true),
        ([0x49, 0x49, 0x2A, 0x00], "TIFF image", true),
        ([0x4D, 0x4D, 0x00, 0x2A], "TIFF image", true),
        ([0x7F, 0x45, 0x4C, 0x46], "ELF executable", false),
        ([0x1F, 0x8B], "gzip archive", false),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "7z archive", false),
        ("Rar!\u001a\u0007"u8.ToArray(), "RAR archive", false),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz archive", false),
    ];

    /// <summary>Sniffs <paramref name="content"/> from its current position and restores that position.</summary>
    /// <param name="content">A readable, seekable stream.</param>
    /// <param name="fileName">The file's display name: used for messages and to tell Markdown/CSV from plain text.</param>
    /// <exception cref="HanlinException">The file is empty, unsupported, encrypted, binary or a corrupt package.</exception>
    public SniffResult Sniff(Stream content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(fileName);
        if (!content.CanSeek || !content.CanRead)
        {
            throw new ArgumentException("Content sniffing needs a readable, seekable stream.", nameof(content));
        }

        var start = content.Position;
        try
        {
            var head = new byte[HeadBytes];
            var length = content.ReadAtLeast(head, HeadBytes, throwOnEndOfStream: false);
            if (length == 0)
            {
                throw new HanlinException(ErrorCodes.EmptyFile, $"'{fileName}' is empty.");
            }

            var isWhole = length < HeadBytes || content.Position >= content.Length;
            var bytes = head.AsSpan(0, length);
            content.Position = start;

            var binary = SniffBinary(content, bytes, fileName);
            if (binary is not null)
            {
                return new SniffResult(binary);
            }

            var encoding = TextDecoder.DetectEncoding(content);
            return new SniffResult(SniffText(bytes, isWhole, encoding, fileName), encoding);
        }
        finally
        {
            content.Position = start;
        }
    }

    private static string? SniffBinary(Stream content, ReadOnlySpan<byte> head, string fileName)
    {
        var pdfAt = head[..Math.Min(head.Length, 1024)].IndexOf("%PDF-"u8);
        if (pdfAt >= 0)
        {
            return MediaTypes.Pdf;
        }

        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8))
        {
            return SniffZip(content, fileName);
        }

        if (head.StartsWith(OleMagic))
        {
            if (ContainsBytes(content, EncryptionInfoName))
            {
                throw new HanlinException(ErrorCodes.EncryptedFile, $"'{fileName}' is a password-protected Office document; remove the password and upload it again.");
            }

            throw new HanlinException(ErrorCodes.UnsupportedMediaType, $"'{fileName}' is a legacy Office binary file (.doc/.xls/.ppt), which is not supported; save it as .docx/.xlsx/.pptx and upload it again.");
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            throw Unsupported(fileName, "WebP image", isImage: true);
        }

        foreach (var (magic, format, isImage) in BinaryMagics)
        {
            if (head.StartsWith(magic))
            {
                throw Unsupported(fileName, format, isImage);
            }
        }

        // "MZ" alone could start a text file; a real PE/DOS header also has NUL bytes right after it.
        if (head.Length >= 64 && head.StartsWith("MZ"u8) && head[2..64].Contains((byte)0))
        {
            throw Unsupported(fileName, "Windows executable", isImage: false);
        }

        return null;
    }

    private static HanlinException Unsupported(string fileName, string format, bool isImage) =>
        new(ErrorCodes.UnsupportedMediaType, isImage
            ? $"'{fileName}' is a {format}; images need OCR, which is not supported yet."
            : $"'{fileName}' is a {format}, which is not a supported document format.");

    private static string SniffZip(Stream content, string fileName)
    {
        bool contentTypes = false, word = false, workbook = false, presentation = false;
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in zip.Entries)
            {
                var name = entry.FullName;
                contentTypes |= name.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase);
                word |= name.Equals("word/document.xml", StringComparison.OrdinalIgnoreCase);
                workbook |= name.Equals("xl/workbook.xml", StringComparison.OrdinalIgnoreCase);
                presentation |= name.Equals("ppt/presentation.xml", StringComparison.OrdinalIgnoreCase);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"'{fileName}' starts like a zip package but its directory cannot be read; the file is damaged or truncated.", ex);
        }

        return (contentTypes, word, workbook, presentation) switch
        {
            (true, true, _, _) => MediaTypes.Docx,
            (true, _, true, _) => MediaTypes.Xlsx,
            (true, _, _, true) => MediaTypes.Pptx,
            _ => throw new HanlinException(ErrorCodes.UnsupportedMediaType, $"'{fileName}' is a zip archive, not a Word, Excel or PowerPoint document; unpack it and upload the documents inside."),
        };
    }

    // Streams through the file so the needle is found wherever the OLE directory sector lies.
    private static bool ContainsBytes(Stream content, ReadOnlySpan<byte> needle)
    {
        var start = content.Position;
        var buffer = new byte[(1024 * 1024) + needle.Length];
        var carried = 0;
        try
        {
            while (true)
            {
                var read = content.Read(buffer, carried, buffer.Length - carried);
                if (read == 0)
                {
                    return false;
                }

                var total = carried + read;
                if (buffer.AsSpan(0, total).IndexOf(needle) >= 0)
                {
                    return true;
                }

                carried = Math.Min(needle.Length - 1, total);
                buffer.AsSpan(total - carried, carried).CopyTo(buffer);
            }
        }
        finally
        {
            content.Position = start;
        }
    }

    private static string SniffText(ReadOnlySpan<byte> head, bool isWhole, Encoding encoding, string fileName)
    {
        var isWide = encoding is UnicodeEncoding or UTF32Encoding;
        if (!isWide && head.Contains((byte)0))
        {
            throw NotText(fileName);
        }

        var text = TextDecoder.Decode(head, encoding);
        if (GarbageRatio(text) > MaxGarbageRatio)
        {
            throw NotText(fileName);
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (TextShape.LooksLikeHtml(text) || (extension is ".html" or ".htm" or ".xhtml" && text.AsSpan().TrimStart().StartsWith('<')))
        {
            return MediaTypes.Html;
        }

        if (extension is ".md" or ".markdown")
        {
            return MediaTypes.Markdown;
        }

        if (extension is ".csv" or ".tsv")
        {
            return MediaTypes.Csv;
        }

        if (TextShape.LooksLikeMarkdown(text))
        {
            return MediaTypes.Markdown;
        }

        return TextShape.LooksLikeDelimited(text, isWhole) ? MediaTypes.Csv : MediaTypes.PlainText;
    }

    private static HanlinException NotText(string fileName) =>
        new(ErrorCodes.BinaryContent, $"'{fileName}' looks like binary data, not text, and no supported format was recognised in it.");

    private static double GarbageRatio(string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        var garbage = 0;
        foreach (var c in text)
        {
            var isControl = c < 0x20 ? c is not ('\t' or '\n' or '\r' or '\f') : c is >= '\u007F' and <= '\u009F';
            garbage += isControl || c == '\uFFFD' ? 1 : 0;
        }

        return (double)garbage / text.Length;
    }
}
