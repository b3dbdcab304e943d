using System.Text;
using UtfUnknown;
using Utf8Validation = System.Text.Unicode.Utf8;

namespace Hanlin.Ingestion.Sniffing;

/// <summary>
/// Detects the character encoding of text bytes and decodes them. Order: byte-order mark, UTF-16 without
/// BOM (NUL-byte pattern), valid UTF-8, then a legacy code page chosen by UTF.Unknown and checked against
/// the byte structure. Mainland GB18030/GBK is preferred whenever the bytes form valid GB double-byte
/// sequences that look like Chinese, because charset detectors often mislabel short GBK text as Latin
/// or Cyrillic and the result would be mojibake. Decoders replace invalid bytes with U+FFFD, never throw.
/// </summary>
public static class TextDecoder
{
    /// <summary>Bytes examined by the statistical detector; enough for a stable guess, cheap on large files.</summary>
    public const int SampleBytes = 64 * 1024;

    private const int StreamChunkBytes = 1024 * 1024;

    // GB18030, Big5, Shift-JIS and windows-125x live in the code pages provider, not in the base runtime.
    private static readonly bool CodePagesRegistered = RegisterCodePages();

    /// <summary>UTF-8 without a preamble; the decoder replaces invalid sequences.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Gets a code page encoding by name (GB18030, Big5, ...) whose decoder replaces bad bytes with U+FFFD.</summary>
    /// <returns>The encoding, or null when the name is unknown.</returns>
    public static Encoding? GetEncoding(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _ = EnsureProvider();
        try
        {
            var encoding = Encoding.GetEncoding(name.Trim());
            return encoding.CodePage == Encoding.UTF8.CodePage
                ? Utf8
                : Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Detects the encoding of <paramref name="content"/> from its current position, then restores the position.
    /// The whole stream is checked for UTF-8 validity (vectorised, GB/s) so that a non-UTF-8 byte late in a
    /// large file is not decoded as UTF-8; the statistical detector sees only the first <see cref="SampleBytes"/>.
    /// </summary>
    public static Encoding DetectEncoding(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var start = content.Position;
        try
        {
            var sample = ReadHead(content, SampleBytes);
            var isWhole = sample.Length < SampleBytes || content.Position >= content.Length;
            var byBom = FromByteOrderMark(sample, out _);
            if (byBom is not null)
            {
                return byBom;
            }

            var utf16 = DetectUtf16WithoutBom(sample);
            if (utf16 is not null)
            {
                return utf16;
            }

            content.Position = start;
            var invalidRegion = FindInvalidUtf8Region(content);
            if (invalidRegion is null)
            {
                return LooksLikeMisreadGbk(sample) ? GetEncoding("GB18030")! : Utf8;
            }

            // The head may be all ASCII with the first non-UTF-8 bytes far behind; detect on those bytes.
            return DetectLegacy(sample.AsSpan().ContainsAnyInRange((byte)0x80, (byte)0xFF) ? sample : invalidRegion, isWhole);
        }
        finally
        {
            content.Position = start;
        }
    }

    /// <summary>Detects the encoding of an in-memory sample.</summary>
    /// <param name="sample">The bytes, or the head of a larger file.</param>
    /// <param name="isWhole">True when <paramref name="sample"/> is the whole file (a truncated trailing sequence is then invalid).</param>
    public static Encoding DetectEncoding(ReadOnlySpan<byte> sample, bool isWhole)
    {
        var byBom = FromByteOrderMark(sample, out _);
        if (byBom is not null)
        {
            return byBom;
        }

        var utf16 = DetectUtf16WithoutBom(sample);
        if (utf16 is not null)
        {
            return utf16;
        }

        if (IsValidUtf8(sample, isWhole))
        {
            return LooksLikeMisreadGbk(sample) ? GetEncoding("GB18030")! : Utf8;
        }

        var firstHigh = sample.IndexOfAnyInRange((byte)0x80, (byte)0xFF);
        return DetectLegacy(sample[firstHigh..Math.Min(sample.Length, firstHigh + SampleBytes)], isWhole);
    }

    /// <summary>
    /// Reads the rest of <paramref name="content"/> as text. A byte-order mark always wins over
    /// <paramref name="encoding"/> and is not part of the text; with no encoding given it is detected.
    /// </summary>
    public static string ReadAllText(Stream content, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        encoding ??= DetectEncoding(content);
        var start = content.Position;

        // Decoding one array at once is several times faster than StreamReader's chunked ReadToEnd.
        if (content is MemoryStream memory && memory.TryGetBuffer(out var segment))
        {
            memory.Position = memory.Length;
            return Decode(segment.AsSpan((int)start), encoding);
        }

        if (content.CanSeek && content.Length - start <= Array.MaxLength)
        {
            var bytes = new byte[content.Length - start];
            content.ReadExactly(bytes);
            return Decode(bytes, encoding);
        }

        Span<byte> head = stackalloc byte[4];
        var read = content.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        var byBom = FromByteOrderMark(head[..read], out var bomLength);
        content.Position = start + bomLength;
        using var reader = new StreamReader(content, byBom ?? encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        return reader.ReadToEnd();
    }

    /// <summary>Decodes bytes, honouring (and dropping) a byte-order mark.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        var byBom = FromByteOrderMark(bytes, out var bomLength);
        return (byBom ?? encoding).GetString(bytes[bomLength..]);
    }

    /// <summary>The encoding named by a byte-order mark at the start of <paramref name="bytes"/>, or null.</summary>
    public static Encoding? FromByteOrderMark(ReadOnlySpan<byte> bytes, out int bomLength)
    {
        // UTF-32 LE must be tested before UTF-16 LE: FF FE 00 00 starts with the UTF-16 LE mark.
        (Encoding? encoding, bomLength) = bytes switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (Utf8, 3),
            [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: true), 4),
            [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: true), 4),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: true), 2),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: true), 2),
            [0x84, 0x31, 0x95, 0x33, ..] => (GetEncoding("GB18030"), 4),
            _ => ((Encoding?)null, 0),
        };
        return encoding;
    }

    /// <summary>True when the span is valid UTF-8; a sequence cut by the end of a sample is allowed unless <paramref name="isWhole"/>.</summary>
    internal static bool IsValidUtf8(ReadOnlySpan<byte> bytes, bool isWhole)
    {
        if (!isWhole)
        {
            bytes = bytes[..CompleteLength(bytes)];
        }

        return Utf8Validation.IsValid(bytes);
    }

    // Null when the whole stream is valid UTF-8; else up to SampleBytes from the first non-ASCII byte of
    // the first invalid chunk, where a legacy encoding shows itself.
    private static byte[]? FindInvalidUtf8Region(Stream content)
    {
        var buffer = new byte[StreamChunkBytes + 4];
        var carried = 0;
        while (true)
        {
            var read = content.ReadAtLeast(buffer.AsSpan(carried, StreamChunkBytes), StreamChunkBytes, throwOnEndOfStream: false);
            var total = carried + read;
            var chunk = buffer.AsSpan(0, total);
            var complete = read == 0 ? total : CompleteLength(chunk);
            if (!Utf8Validation.IsValid(chunk[..complete]))
            {
                var firstHigh = chunk.IndexOfAnyInRange((byte)0x80, (byte)0xFF);
                return chunk[firstHigh..Math.Min(total, firstHigh + SampleBytes)].ToArray();
            }

            if (read == 0)
            {
                return null;
            }

            carried = total - complete;
            buffer.AsSpan(complete, carried).CopyTo(buffer);
        }
    }

    // A short GBK string can happen to be valid UTF-8 ("药品" is D2 A9 C6 B7, which UTF-8 reads as "ҩƷ").
    // Real UTF-8 Chinese uses three-byte sequences; real European text with two-byte sequences stays in one
    // script. So: only two-byte sequences, GB-shaped pairs, and letters from two or more scripts → GBK.
    private static bool LooksLikeMisreadGbk(ReadOnlySpan<byte> sample)
    {
        if (sample.ContainsAnyInRange((byte)0xE0, (byte)0xFF) || !LooksLikeGbChinese(sample, isWhole: true))
        {
            return false;
        }

        var scripts = 0;
        for (var i = 0; i + 1 < sample.Length; i++)
        {
            var lead = sample[i];
            if (lead < 0xC2)
            {
                continue;
            }

            var codePoint = ((lead & 0x1F) << 6) | (sample[i + 1] & 0x3F);
            i++;
            var script = codePoint switch
            {
                < 0xC0 or 0xD7 or 0xF7 => 0, // Latin-1 symbols (°, ±, µ, ×) occur in any script's text
                < 0x2B0 => 1 << 1, // Latin letters
                < 0x370 => 1 << 2, // IPA, modifiers, combining marks
                < 0x400 => 1 << 3, // Greek
                < 0x530 => 1 << 4, // Cyrillic
                < 0x600 => 1 << 5, // Armenian, Hebrew
                _ => 1 << 6, // Arabic, Syriac, Thaana, NKo
            };
            scripts |= script;
        }

        return System.Numerics.BitOperations.PopCount((uint)scripts) >= 2;
    }

    // Length of the prefix that does not end inside a multi-byte sequence (at most 3 bytes are held back).
    private static int CompleteLength(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? bytes.Length - back : bytes.Length;
        }

        return bytes.Length;
    }

    private static byte[] ReadHead(Stream content, int count)
    {
        var buffer = new byte[count];
        var read = content.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return read == count ? buffer : buffer[..read];
    }

    // UTF-16 text without a BOM has NULs in every other byte for ASCII-range characters; data that
    // merely contains NULs (binary) does not show the alternating pattern on one side only.
    private static UnicodeEncoding? DetectUtf16WithoutBom(ReadOnlySpan<byte> sample)
    {
        if (sample.Length < 4)
        {
            return null;
        }

        int evenZeros = 0, oddZeros = 0, pairs = sample.Length / 2;
        for (var i = 0; i + 1 < sample.Length; i += 2)
        {
            evenZeros += sample[i] == 0 ? 1 : 0;
            oddZeros += sample[i + 1] == 0 ? 1 : 0;
        }

        if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05)
        {
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
        }

        return evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05 ? new UnicodeEncoding(bigEndian: true, byteOrderMark: false) : null;
    }

    private static Encoding DetectLegacy(ReadOnlySpan<byte> sample, bool isWhole)
    {
        _ = EnsureProvider();
        var looksChinese = LooksLikeGbChinese(sample, isWhole);
        var detected = CharsetDetector.DetectFromBytes(sample).Detected;
        var name = detected?.EncodingName?.ToUpperInvariant() ?? string.Empty;
        var confidence = detected?.Confidence ?? 0f;

        if (name.StartsWith("GB", StringComparison.Ordinal) || name is "HZ-GB-2312" or "X-CP20936")
        {
            return GetEncoding("GB18030")!;
        }

        // Big5 and GB share most byte ranges; only a confident detector on enough text beats the GB preference.
        var isOtherCjk = name is "BIG5" or "SHIFT_JIS" or "EUC-JP" or "EUC-KR" or "ISO-2022-JP" or "ISO-2022-KR" or "EUC-TW";
        if (isOtherCjk && (!looksChinese || (confidence >= 0.9f && sample.Length >= 256)))
        {
            var other = GetEncoding(name);
            if (other is not null)
            {
                return other;
            }
        }

        if (looksChinese)
        {
            return GetEncoding("GB18030")!;
        }

        var fromDetector = name.Length > 0 && name is not "ASCII" and not "UTF-8" ? GetEncoding(name) : null;
        return fromDetector ?? GetEncoding("windows-1252")!;
    }

    private static bool EnsureProvider() => CodePagesRegistered;

    private static bool RegisterCodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    }

    // Checks whether high bytes pair up as GB18030 sequences the way Chinese text does.
    private static bool LooksLikeGbChinese(ReadOnlySpan<byte> bytes, bool isWhole)
    {
        int pairs = 0, gb2312Pairs = 0, invalid = 0;
        var i = 0;
        while (i < bytes.Length)
        {
            var lead = bytes[i];
            if (lead < 0x80)
            {
                i++;
                continue;
            }

            if (lead is 0x80 or 0xFF || i + 1 >= bytes.Length)
            {
                invalid += isWhole || i + 1 < bytes.Length ? 1 : 0;
                i++;
                continue;
            }

            var trail = bytes[i + 1];
            if (trail is >= 0x40 and <= 0xFE and not 0x7F)
            {
                pairs++;

                // GB2312 hanzi and CJK punctuation: both bytes in A1..FE. Latin-1 text that happens to
                // pair (é followed by a letter) has an ASCII trail byte instead.
                gb2312Pairs += lead >= 0xA1 && trail >= 0xA1 ? 1 : 0;
                i += 2;
            }
            else if (trail is >= 0x30 and <= 0x39 && i + 3 < bytes.Length && bytes[i + 2] is >= 0x81 and <= 0xFE && bytes[i + 3] is >= 0x30 and <= 0x39)
            {
                pairs++;
                i += 4;
            }
            else
            {
                invalid++;
                i++;
            }
        }

        // Almost every high byte must belong to a valid sequence and most pairs must be common hanzi.
        return pairs > 0 && invalid * 20 <= pairs && gb2312Pairs * 2 >= pairs;
    }
}
