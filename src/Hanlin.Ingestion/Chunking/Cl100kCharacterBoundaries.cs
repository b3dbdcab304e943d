using System.Runtime.CompilerServices;

namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// Which boundaries between two adjacent characters a cl100k byte-pair merge can ever cross. A piece
/// split at the boundaries no merge can cross counts exactly as the sum of its parts, which turns the
/// quadratic merge over a long CJK run (one pre-tokenised piece up to the next punctuation) into table
/// lookups per character: in Chinese text only about 2% of the boundaries between ideographs are crossable.
/// Read-only after construction; thread-safe.
/// </summary>
/// <remarks>
/// <para>Why the split is exact. Every part the merge builds is a vocabulary token (it starts from single
/// bytes, all of which are tokens, and only merges two parts whose concatenation is a token). A part that
/// spans the boundary between characters <c>a</c> and <c>b</c> is therefore a token made of a non-empty
/// suffix of the bytes before the boundary and a non-empty prefix of the bytes after it. Cut at its own
/// character starts (in UTF-8 a byte starts a character exactly when it is not 10xxxxxx), such a token holds
/// a <em>tail</em> (its bytes from its last character start before the boundary, or all of them when none:
/// always a suffix of <c>a</c>) and a <em>head</em> (its bytes from the boundary to its next character start:
/// always a prefix of <c>b</c>). This class records every (tail, head) pair found inside any vocabulary
/// token; when no recorded pair fits <c>a</c> and <c>b</c>, no part can ever span their boundary. The merge
/// then never compares a pair across it, so each step merges the lowest-ranked pair of one side exactly as
/// that side would alone (and on equal ranks the left side's pair is leftmost, as it would be alone too):
/// the two sides end in the parts they would end in separately.</para>
/// <para>Only boundaries between two characters of the Basic Multilingual Plane (UTF-8 of 1 to 3 bytes,
/// no surrogates), not both ASCII, are ever reported as uncrossable; any other boundary counts as
/// crossable, which is always safe (it only means the piece is not split there).</para>
/// </remarks>
internal sealed class Cl100kCharacterBoundaries
{
    // [char]: bit k-1 is set when the character's last k UTF-8 bytes are the tail of some recorded pair.
    private readonly byte[] _tailLengths = new byte[char.MaxValue + 1];

    // [char]: bit k-1 is set when the character's first k UTF-8 bytes are the head of some recorded pair.
    private readonly byte[] _headLengths = new byte[char.MaxValue + 1];

    // Every recorded (tail, head) pair, keyed by Key(tail, head).
    private readonly PackedRankTable _pairs;

    // Built once per process while the first document waits: optimised at once rather than tiered up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Cl100kCharacterBoundaries(IEnumerable<byte[]> tokens)
    {
        var pairs = new Dictionary<ulong, int>();
        var tails = new HashSet<uint>();
        var heads = new HashSet<uint>();
        foreach (var token in tokens)
        {
            for (var p = 1; p < token.Length; p++)
            {
                if (IsContinuation(token[p]))
                {
                    continue;
                }

                var tailStart = p - 1;
                while (tailStart > 0 && IsContinuation(token[tailStart]))
                {
                    tailStart--;
                }

                var headEnd = p + 1;
                while (headEnd < token.Length && IsContinuation(token[headEnd]))
                {
                    headEnd++;
                }

                var tail = token.AsSpan(tailStart, p - tailStart);
                var head = token.AsSpan(p, headEnd - p);

                // Longer tails or heads belong to 4-byte characters (or are not UTF-8 at all), whose
                // boundaries are never split; neither are those between two ASCII characters (the bulk of
                // the pairs, skipped to keep construction fast).
                if (tail.Length <= 3 && head.Length <= 3 && !(tail.Length == 1 && tail[0] < 0x80 && head[0] < 0x80))
                {
                    var tailKey = Pack(tail);
                    var headKey = Pack(head);
                    tails.Add(tailKey);
                    heads.Add(headKey);
                    pairs[Key(tailKey, headKey)] = 0;
                }
            }
        }

        _pairs = new PackedRankTable(pairs);
        Span<byte> utf8 = stackalloc byte[3];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (char.IsSurrogate((char)c))
            {
                continue;
            }

            var length = Utf8((char)c, utf8);
            for (var k = 1; k <= length; k++)
            {
                if (tails.Contains(Pack(utf8[(length - k)..length])))
                {
                    _tailLengths[c] |= (byte)(1 << (k - 1));
                }

                if (heads.Contains(Pack(utf8[..k])))
                {
                    _headLengths[c] |= (byte)(1 << (k - 1));
                }
            }
        }
    }

    /// <summary>
    /// False only when no byte-pair merge can ever produce a part spanning the boundary between
    /// <paramref name="before"/> and <paramref name="after"/>, in any text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsCrossable(char before, char after)
    {
        if ((before < 0x80 && after < 0x80) || char.IsSurrogate(before) || char.IsSurrogate(after))
        {
            return true;
        }

        var tailLengths = _tailLengths[before];
        var headLengths = _headLengths[after];
        return tailLengths != 0 && headLengths != 0 && AnyRecordedPair(before, tailLengths, after, headLengths);
    }

    private bool AnyRecordedPair(char before, int tailLengths, char after, int headLengths)
    {
        Span<byte> a = stackalloc byte[3];
        Span<byte> b = stackalloc byte[3];
        var aLength = Utf8(before, a);
        var bLength = Utf8(after, b);
        for (var k = 1; k <= aLength; k++)
        {
            if ((tailLengths & (1 << (k - 1))) == 0)
            {
                continue;
            }

            var tailKey = Pack(a[(aLength - k)..aLength]);
            for (var m = 1; m <= bLength; m++)
            {
                if ((headLengths & (1 << (m - 1))) != 0 && _pairs.Find(Key(tailKey, Pack(b[..m]))) != PackedRankTable.Missing)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;

    // Length in the top byte, the bytes below it: distinct for distinct byte strings of up to 3 bytes.
    private static uint Pack(ReadOnlySpan<byte> bytes)
    {
        var packed = (uint)bytes.Length << 24;
        for (var i = 0; i < bytes.Length; i++)
        {
            packed |= (uint)bytes[i] << (16 - (8 * i));
        }

        return packed;
    }

    private static ulong Key(uint tail, uint head) => ((ulong)tail << 32) | head;

    // UTF-8 of a character of the Basic Multilingual Plane that is not a surrogate.
    private static int Utf8(char c, Span<byte> bytes)
    {
        if (c < 0x80)
        {
            bytes[0] = (byte)c;
            return 1;
        }

        if (c < 0x800)
        {
            bytes[0] = (byte)(0xC0 | (c >> 6));
            bytes[1] = (byte)(0x80 | (c & 0x3F));
            return 2;
        }

        bytes[0] = (byte)(0xE0 | (c >> 12));
        bytes[1] = (byte)(0x80 | ((c >> 6) & 0x3F));
        bytes[2] = (byte)(0x80 | (c & 0x3F));
        return 3;
    }
}
