using System.IO.Compression;
using System.Text;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Inspects an Office file before any OpenXml code parses it: rejects OLE compound files (encrypted OOXML,
/// legacy .doc/.xls/.ppt), broken zips, and packages whose entry count, declared uncompressed size or
/// compression ratio exceed <see cref="ExtractionLimits"/>. Declared sizes can lie: System.IO.Compression stops
/// inflating an entry at its declared size, and extractors also read parts through <see cref="PartReadBudget"/>,
/// which counts the bytes actually inflated against the same limit.
/// </summary>
public static class OfficePackageGuard
{
    // Entries below this size cannot exhaust anything however well they compress; ratio checks on them
    // would only reject ordinary, highly repetitive XML parts (styles, empty sheets).
    private const long RatioGraceBytes = 1L * 1024 * 1024;

    private const int DirectoryEntryBytes = 128;

    private static readonly byte[] CompoundFileMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    // MS-OFFCRYPTO: an encrypted OOXML package is a compound file holding these two streams.
    private static readonly byte[][] EncryptionStreamNames = [DirectoryName("EncryptionInfo"), DirectoryName("EncryptedPackage")];

    /// <summary>True when <paramref name="head"/> starts with the OLE compound file signature (D0 CF 11 E0 A1 B1 1A E1).</summary>
    public static bool IsCompoundFile(ReadOnlySpan<byte> head) => head.StartsWith(CompoundFileMagic);

    /// <summary>
    /// True when the file is an OLE compound file containing the <c>EncryptionInfo</c> or <c>EncryptedPackage</c>
    /// stream, i.e. a password-protected DOCX/XLSX/PPTX. The sniffer calls this to report <c>encrypted_file</c>.
    /// </summary>
    /// <param name="head">The first bytes of the file (at least 8).</param>
    /// <param name="content">The whole file, seekable; its position is restored.</param>
    public static bool IsEncryptedOfficeFile(ReadOnlySpan<byte> head, Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return IsCompoundFile(head) && ContainsDirectoryEntry(content, EncryptionStreamNames);
    }

    /// <summary>
    /// Throws <see cref="HanlinException"/> unless <paramref name="content"/> is a zip package within the limits
    /// of <paramref name="context"/>: <c>encrypted_file</c> (password-protected Office file),
    /// <c>unsupported_media_type</c> (legacy binary Office file), <c>corrupt_file</c> (not a readable zip) or
    /// <c>archive_bomb</c> (too many entries, too large or too highly compressed). Leaves the stream at 0.
    /// </summary>
    public static void EnsureSafePackage(Stream content, ExtractionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        var name = context.FileName;
        var limits = context.Limits;

        Span<byte> head = stackalloc byte[8];
        content.Position = 0;
        var headLength = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Position = 0;
        if (headLength == 0)
        {
            throw new HanlinException(ErrorCodes.EmptyFile, $"'{name}' is empty.");
        }

        if (IsCompoundFile(head[..headLength]))
        {
            if (IsEncryptedOfficeFile(head[..headLength], content))
            {
                throw new HanlinException(ErrorCodes.EncryptedFile, $"'{name}' is a password-protected Office file; remove the password and upload it again.");
            }

            throw new HanlinException(
                ErrorCodes.UnsupportedMediaType,
                $"'{name}' is a legacy binary Office file (.doc/.xls/.ppt); save it as .docx/.xlsx/.pptx and upload it again.");
        }

        if (headLength < 4 || head[0] != (byte)'P' || head[1] != (byte)'K')
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"'{name}' is not a valid Office package (it is not a zip archive).");
        }

        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var entries = zip.Entries;
            if (entries.Count > limits.MaxArchiveEntries)
            {
                throw Bomb(name, $"it holds {entries.Count:N0} entries (limit {limits.MaxArchiveEntries:N0})");
            }

            long totalUncompressed = 0;
            long totalCompressed = 0;
            foreach (var entry in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                totalUncompressed += entry.Length;
                totalCompressed += entry.CompressedLength;
                if (entry.Length > RatioGraceBytes && Ratio(entry.Length, entry.CompressedLength) > limits.MaxCompressionRatio)
                {
                    throw Bomb(name, $"entry '{entry.FullName}' expands {Ratio(entry.Length, entry.CompressedLength):N0}x (limit {limits.MaxCompressionRatio:N0}x)");
                }

                if (totalUncompressed > limits.MaxUncompressedBytes)
                {
                    throw Bomb(name, $"it expands to more than {limits.MaxUncompressedBytes:N0} bytes");
                }
            }

            if (totalUncompressed > RatioGraceBytes && Ratio(totalUncompressed, totalCompressed) > limits.MaxCompressionRatio)
            {
                throw Bomb(name, $"it expands {Ratio(totalUncompressed, totalCompressed):N0}x overall (limit {limits.MaxCompressionRatio:N0}x)");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"'{name}' is a damaged or truncated Office package: {ex.Message}", ex);
        }
        finally
        {
            content.Position = 0;
        }
    }

    internal static HanlinException Bomb(string fileName, string reason) =>
        new(ErrorCodes.ArchiveBomb, $"'{fileName}' was rejected as a possible zip bomb: {reason}.");

    private static double Ratio(long uncompressed, long compressed) => uncompressed / (double)Math.Max(compressed, 1);

    // A compound-file directory entry is 128 bytes: the name in UTF-16LE with its terminator (64 bytes), then
    // the name's byte length (uint16). Sectors are 512 or 4096 bytes and start at a multiple of 512, so every
    // directory entry starts at a file offset divisible by 128. Scanning those offsets finds stream names
    // without walking the FAT; no compound-file reader is among the project's packages.
    private static bool ContainsDirectoryEntry(Stream content, byte[][] names)
    {
        var start = content.Position;
        try
        {
            content.Position = 512;
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var read = content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                for (var offset = 0; offset + DirectoryEntryBytes <= read; offset += DirectoryEntryBytes)
                {
                    var entry = buffer.AsSpan(offset, DirectoryEntryBytes);
                    foreach (var name in names)
                    {
                        if (entry.StartsWith(name) && BitConverter.ToUInt16(entry.Slice(64, 2)) == name.Length)
                        {
                            return true;
                        }
                    }
                }

                if (read < buffer.Length)
                {
                    return false;
                }
            }
        }
        finally
        {
            content.Position = start;
        }
    }

    private static byte[] DirectoryName(string name) => Encoding.Unicode.GetBytes(name + "\0");
}
