using System.Collections.Concurrent;
using System.Text;
using Hanlin.Core.Errors;
using Microsoft.ML.Tokenizers;
using System.Runtime.CompilerServices;

namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// Counts tokens of the chunking tokenizer, cl100k_base, whose vocabulary ships embedded in the
/// Microsoft.ML.Tokenizers.Data.Cl100kBase package (nothing is downloaded). Loading the vocabulary
/// is expensive (100k merges), so create one instance per process (or use <see cref="Default"/>);
/// every member is safe to call from several threads at once.
/// </summary>
/// <remarks>
/// Counts equal the library's <c>TiktokenTokenizer.CountTokens</c> exactly but are
/// several times faster on natural text: <see cref="Cl100kPreTokenizer"/> splits the text as the library's
/// regex would, and a bounded cache maps each short piece (" the", "，", "123") to its token count, so only
/// pieces not seen recently are byte-pair encoded (<see cref="Cl100kBytePairCounter"/>, on the library's
/// vocabulary). cl100k encodes pieces independently, so the sum of the pieces' counts is the text's count.
/// </remarks>
public sealed class TokenCounter
{
    private static readonly Lazy<TokenCounter> DefaultInstance = new(() => new TokenCounter(), LazyThreadSafetyMode.ExecutionAndPublication);

    // Longer pieces rarely repeat (identifiers, long words) and are counted uncached.
    private const int MaxCachedPieceLength = 24;

    // A CJK piece is a whole run of ideographs up to the next punctuation, almost never seen twice; caching
    // such pieces would only evict the short words that do repeat.
    private const int MaxCachedNonAsciiPieceLength = 4;

    // ~64k short strings: a few MB. Emptied when full; natural text re-warms it within a few KB.
    private const int MaxCacheEntries = 1 << 16;

    // Text containing this may contain a special token ("<|endoftext|>") that the library counts as one token.
    private const string SpecialTokenOpening = "<|";

    // cl100k_base's special tokens, each one token wherever it appears (as the library's CountTokens counts
    // them). They are found here rather than left to the library: a library instance that has counted some
    // 100k characters of varied text stops recognising them (Microsoft.ML.Tokenizers 2.0.1; a new instance
    // recognises them again), so its count of such text would drift over a long ingestion.
    private static readonly string[] SpecialTokens = ["<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>"];

    // The library's own tokenizer, loaded only if needed (text with lone surrogates, or cut by tokens): loading
    // it takes about a quarter of a second.
    private readonly Lazy<TiktokenTokenizer> _tokenizer = new(NewLibraryTokenizer, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Cl100kBytePairCounter _bytePairs;
    private readonly ConcurrentDictionary<string, int> _pieceCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _pieceLookup;

    // Approximate entry count: ConcurrentDictionary.Count takes every lock, which under parallel chunking
    // serialised the threads on each cache miss.
    private int _cachedPieces;

    /// <summary>Loads the embedded cl100k_base vocabulary.</summary>
    public TokenCounter()
    {
        try
        {
            _bytePairs = Cl100kBytePairCounter.FromEmbeddedVocabulary();
        }
        catch (Exception ex) when (IsLoadFailure(ex))
        {
            throw LoadFailed(ex);
        }

        _pieceLookup = _pieceCounts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The process-wide instance, created on first use.</summary>
    public static TokenCounter Default => DefaultInstance.Value;

    /// <summary>Number of cl100k_base tokens in <paramref name="text"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Count(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        var opening = text.IndexOf(SpecialTokenOpening, StringComparison.Ordinal);
        return opening < 0 ? CountOrdinary(text) : CountWithSpecialTokens(text, opening);
    }

    /// <summary>Number of cl100k_base tokens in <paramref name="text"/>.</summary>
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Count(text.AsSpan());
    }

    // The text between special tokens is counted on its own, then each special token as one.
    private int CountWithSpecialTokens(ReadOnlySpan<char> text, int opening)
    {
        var count = 0;
        var segmentStart = 0;
        while (opening >= 0)
        {
            var length = SpecialTokenLengthAt(text[opening..]);
            var resumeAt = opening + 1;
            if (length > 0)
            {
                count += CountOrdinary(text[segmentStart..opening]) + 1;
                segmentStart = resumeAt = opening + length;
            }

            var next = text[resumeAt..].IndexOf(SpecialTokenOpening, StringComparison.Ordinal);
            opening = next < 0 ? -1 : resumeAt + next;
        }

        return count + CountOrdinary(text[segmentStart..]);
    }

    private static TiktokenTokenizer NewLibraryTokenizer()
    {
        try
        {
            return TiktokenTokenizer.CreateForEncoding("cl100k_base");
        }
        catch (Exception ex) when (IsLoadFailure(ex))
        {
            throw LoadFailed(ex);
        }
    }

    private static bool IsLoadFailure(Exception ex) =>
        ex is ArgumentException or InvalidOperationException or IOException or NotSupportedException or InvalidDataException or FormatException or BadImageFormatException;

    private static HanlinException LoadFailed(Exception ex) =>
        new(ErrorCodes.Internal, "The cl100k_base tokenizer data could not be loaded from the Microsoft.ML.Tokenizers.Data.Cl100kBase package.", ex);

    private static int SpecialTokenLengthAt(ReadOnlySpan<char> text)
    {
        foreach (var token in SpecialTokens)
        {
            if (text.StartsWith(token, StringComparison.Ordinal))
            {
                return token.Length;
            }
        }

        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CountOrdinary(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        // Surrogates are rare: one vectorised scan of the whole text spares every piece its own check.
        var mayHaveLoneSurrogate = text.ContainsAnyInRange('\uD800', '\uDFFF');
        var count = 0;
        var start = 0;
        while (start < text.Length)
        {
            var end = Cl100kPreTokenizer.PieceEnd(text, start);
            count += CountPiece(text[start..end], mayHaveLoneSurrogate);
            start = end;
        }

        return count;
    }

    /// <summary>
    /// The length of the longest prefix of <paramref name="text"/> that encodes to at most
    /// <paramref name="maxTokens"/> whole tokens; <paramref name="tokenCount"/> receives that prefix's count.
    /// The prefix never ends inside a surrogate pair. Returns 0 when not even one token fits.
    /// </summary>
    public int PrefixLengthWithin(ReadOnlySpan<char> text, int maxTokens, out int tokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        if (text.IsEmpty || maxTokens == 0)
        {
            tokenCount = 0;
            return 0;
        }

        // Text that may hold a special token gets a new library instance (microseconds; see SpecialTokens).
        var tokenizer = text.Contains(SpecialTokenOpening, StringComparison.Ordinal) ? NewLibraryTokenizer() : _tokenizer.Value;
        var length = tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out tokenCount);
        if (length > 0 && length < text.Length && char.IsHighSurrogate(text[length - 1]) && char.IsLowSurrogate(text[length]))
        {
            // A cl100k token can end inside a UTF-8 sequence; never cut a character in two.
            length--;
            tokenCount = Count(text[..length]);
        }

        return length;
    }

    private int CountPiece(ReadOnlySpan<char> piece, bool mayHaveLoneSurrogate)
    {
        if (mayHaveLoneSurrogate && HasLoneSurrogate(piece))
        {
            // The library's UTF-8 conversion of a lone surrogate differs from Encoding.UTF8's; let it count.
            return _tokenizer.Value.CountTokens(piece, considerPreTokenization: false, considerNormalization: false);
        }

        if (piece.Length > MaxCachedPieceLength || (piece.Length > MaxCachedNonAsciiPieceLength && !Ascii.IsValid(piece)))
        {
            return _bytePairs.Count(piece);
        }

        if (_pieceLookup.TryGetValue(piece, out var cached))
        {
            return cached;
        }

        var count = _bytePairs.Count(piece);
        if (Interlocked.Increment(ref _cachedPieces) > MaxCacheEntries)
        {
            _pieceCounts.Clear();
            Interlocked.Exchange(ref _cachedPieces, 0);
        }

        _pieceLookup.TryAdd(piece, count);
        return count;
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> piece)
    {
        var i = piece.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0 && i < piece.Length)
        {
            if (!char.IsHighSurrogate(piece[i]) || i + 1 == piece.Length || !char.IsLowSurrogate(piece[i + 1]))
            {
                return true;
            }

            i += 2;
            var next = piece[i..].IndexOfAnyInRange('\uD800', '\uDFFF');
            i = next < 0 ? -1 : i + next;
        }

        return false;
    }
}
