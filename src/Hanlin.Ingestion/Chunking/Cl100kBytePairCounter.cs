using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// Counts the cl100k_base tokens of one pre-tokenised piece with tiktoken's byte-pair merge: start from
/// single bytes and repeatedly merge the adjacent pair whose concatenation has the lowest rank (the
/// leftmost on ties) until no adjacent pair is a token. Read-only after construction; thread-safe.
/// </summary>
/// <remarks>
/// Hand-written rather than calling the library per piece: the library's encoder allocates per call and
/// serialises every call on a lock around its cache, which under parallel chunking made it the largest
/// single cost of ingesting CJK text (a CJK run up to the next punctuation is one piece and rarely
/// repeats, so it is never served from a cache). Such a run is first cut where no merge can cross
/// (<see cref="Cl100kCharacterBoundaries"/>), so its merges stay short. Ranks are looked up by packing the
/// candidate's bytes into an integer key, one table per length; the few tokens longer than 16 bytes are keyed
/// by their bytes as Latin-1 text. The ranks are read from the same embedded cl100k_base file the library loads (the
/// library keeps its own table internal).
/// </remarks>
internal sealed class Cl100kBytePairCounter
{
    private const int NoRank = int.MaxValue;
    private const int MaxPackedLength = 16;

    // Pieces longer than this are encoded from a pooled buffer instead of the stack.
    private const int MaxStackBytes = 1024;

    // [length]: packed bytes → rank, for tokens of 1 to 8 bytes and of 9 to 16 bytes.
    private readonly PackedRankTable[] _short = new PackedRankTable[9];
    private readonly Dictionary<UInt128, int>[] _medium = new Dictionary<UInt128, int>[MaxPackedLength + 1];
    private readonly Dictionary<string, int> _long = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _longLookup;

    private readonly Cl100kCharacterBoundaries _boundaries;

    // [char]: the token count of the character alone (1 to 3), filled on first use; 0 until then. Racing
    // threads write the same value.
    private readonly byte[] _characterTokens = new byte[char.MaxValue + 1];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Cl100kBytePairCounter(IReadOnlyCollection<(byte[] Bytes, int Rank)> ranks)
    {
        var shortRanks = new List<KeyValuePair<ulong, int>>[9];
        for (var length = 1; length <= 8; length++)
        {
            shortRanks[length] = [];
        }

        for (var length = 9; length <= MaxPackedLength; length++)
        {
            _medium[length] = [];
        }

        foreach (var (bytes, rank) in ranks)
        {
            if (bytes.Length is >= 1 and <= 8)
            {
                shortRanks[bytes.Length].Add(new(PackShort(bytes), rank));
            }
            else if (bytes.Length is > 8 and <= MaxPackedLength)
            {
                _medium[bytes.Length][PackMedium(bytes)] = rank;
            }
            else if (bytes.Length > MaxPackedLength)
            {
                _long[Encoding.Latin1.GetString(bytes)] = rank;
            }
        }

        for (var length = 1; length <= 8; length++)
        {
            _short[length] = new PackedRankTable(shortRanks[length]);
        }

        _longLookup = _long.GetAlternateLookup<ReadOnlySpan<char>>();
        _boundaries = new Cl100kCharacterBoundaries(ranks.Select(r => r.Bytes));
    }

    /// <summary>Reads the ranks from the Microsoft.ML.Tokenizers.Data.Cl100kBase assembly.</summary>
    /// <remarks>Runs once per process while the first document waits: optimised at once rather than tiered up.</remarks>
    /// <exception cref="InvalidDataException">The embedded file is missing or malformed.</exception>
    public static Cl100kBytePairCounter FromEmbeddedVocabulary() => new(ReadEmbeddedVocabulary());

    /// <summary>Every token of the embedded cl100k_base vocabulary as its bytes and rank.</summary>
    /// <exception cref="InvalidDataException">The embedded file is missing or malformed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static List<(byte[] Bytes, int Rank)> ReadEmbeddedVocabulary()
    {
        var assembly = Assembly.Load("Microsoft.ML.Tokenizers.Data.Cl100kBase");
        using var resource = assembly.GetManifestResourceStream("cl100k_base.tiktoken.deflate")
            ?? throw new InvalidDataException("The cl100k_base.tiktoken.deflate resource is missing.");
        using var inflated = new DeflateStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated, Encoding.UTF8);
        var ranks = new List<(byte[] Bytes, int Rank)>(100_256);
        // The package's format: an optional "Capacity: N" line, then one token per line as "<base64>" (its
        // rank is its line number from 0) or "<base64> <rank>".
        var next = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var rank = next;
            if (space >= 0 && !int.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out rank))
            {
                throw new InvalidDataException("A line of the cl100k_base vocabulary is not '<base64>' or '<base64> <rank>'.");
            }

            ranks.Add((Convert.FromBase64String(space >= 0 ? line[..space] : line), rank));
            next = rank + 1;
        }

        return ranks;
    }

    /// <summary>
    /// The token count of one pre-tokenised piece. A piece with non-ASCII characters is first cut at every
    /// boundary no merge can cross (<see cref="Cl100kCharacterBoundaries"/>), which leaves a CJK run mostly as
    /// single characters, counted from a table; the rest are merged as usual.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Count(ReadOnlySpan<char> piece)
    {
        if (Ascii.IsValid(piece))
        {
            return CountWhole(piece);
        }

        var count = 0;
        var start = 0;
        for (var i = 1; i < piece.Length; i++)
        {
            if (!_boundaries.IsCrossable(piece[i - 1], piece[i]))
            {
                count += CountPart(piece[start..i]);
                start = i;
            }
        }

        return count + CountPart(piece[start..]);
    }

    private int CountPart(ReadOnlySpan<char> part)
    {
        if (part.Length != 1 || char.IsSurrogate(part[0]))
        {
            return CountWhole(part);
        }

        var count = _characterTokens[part[0]];
        if (count == 0)
        {
            count = (byte)CountWhole(part);
            _characterTokens[part[0]] = count;
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CountWhole(ReadOnlySpan<char> piece)
    {
        var byteCount = Encoding.UTF8.GetByteCount(piece);
        byte[]? rented = null;
        var bytes = byteCount <= MaxStackBytes ? stackalloc byte[byteCount] : (rented = ArrayPool<byte>.Shared.Rent(byteCount)).AsSpan(0, byteCount);
        try
        {
            Encoding.UTF8.GetBytes(piece, bytes);
            return CountBytes(bytes);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CountBytes(ReadOnlySpan<byte> piece)
    {
        if (piece.Length <= 1 || Rank(piece) != NoRank)
        {
            return piece.Length == 0 ? 0 : 1;
        }

        // Parts form a linked list keyed by their first byte: next[s] is the start of the part after the one
        // starting at s (piece.Length ends the list); ranks[s] is the rank of merging that part with the next
        // one. Merging unlinks the next part instead of shifting arrays, which had made moving memory half of
        // the cost of a CJK piece.
        var n = piece.Length;
        int[]? rentedNext = null;
        int[]? rentedRanks = null;
        var next = n + 1 <= 256 ? stackalloc int[n + 1] : (rentedNext = ArrayPool<int>.Shared.Rent(n + 1)).AsSpan(0, n + 1);
        var ranks = n + 1 <= 256 ? stackalloc int[n + 1] : (rentedRanks = ArrayPool<int>.Shared.Rent(n + 1)).AsSpan(0, n + 1);
        try
        {
            for (var i = 0; i < n; i++)
            {
                next[i] = i + 1;
                ranks[i] = i + 1 < n ? Rank(piece.Slice(i, 2)) : NoRank;
            }

            var parts = n;
            while (true)
            {
                // The lowest rank, leftmost on ties, and the part before it.
                var min = NoRank;
                var at = -1;
                var beforeAt = -1;
                for (int s = 0, previous = -1; s < n; previous = s, s = next[s])
                {
                    if (ranks[s] < min)
                    {
                        min = ranks[s];
                        at = s;
                        beforeAt = previous;
                    }
                }

                if (at < 0)
                {
                    return parts;
                }

                next[at] = next[next[at]];
                parts--;
                ranks[at] = RankOfMerge(piece, next, at);
                if (beforeAt >= 0)
                {
                    ranks[beforeAt] = RankOfMerge(piece, next, beforeAt);
                }
            }
        }
        finally
        {
            if (rentedNext is not null)
            {
                ArrayPool<int>.Shared.Return(rentedNext);
                ArrayPool<int>.Shared.Return(rentedRanks!);
            }
        }
    }

    // Rank of the part starting at `start` merged with the part after it, or NoRank when it is the last part.
    private int RankOfMerge(ReadOnlySpan<byte> piece, ReadOnlySpan<int> next, int start)
    {
        var second = next[start];
        return second < piece.Length ? Rank(piece[start..next[second]]) : NoRank;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Rank(ReadOnlySpan<byte> bytes)
    {
        int rank;
        if (bytes.Length <= 8)
        {
            rank = _short[bytes.Length].Find(PackShort(bytes));
            return rank == PackedRankTable.Missing ? NoRank : rank;
        }

        if (bytes.Length <= MaxPackedLength)
        {
            return _medium[bytes.Length].TryGetValue(PackMedium(bytes), out rank) ? rank : NoRank;
        }

        var latin1 = bytes.Length <= MaxStackBytes ? stackalloc char[bytes.Length] : new char[bytes.Length];
        Encoding.Latin1.GetChars(bytes, latin1);
        return _longLookup.TryGetValue(latin1, out rank) ? rank : NoRank;
    }

    private static ulong PackShort(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 8)
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }

        var packed = 0UL;
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            packed = (packed << 8) | bytes[i];
        }

        return packed;
    }

    private static UInt128 PackMedium(ReadOnlySpan<byte> bytes)
    {
        Span<byte> padded = stackalloc byte[16];
        padded.Clear();
        bytes.CopyTo(padded);
        return BinaryPrimitives.ReadUInt128LittleEndian(padded);
    }
}
