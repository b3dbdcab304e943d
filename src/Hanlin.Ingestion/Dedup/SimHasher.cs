using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace Hanlin.Ingestion.Dedup;

/// <summary>
/// 64-bit SimHash (Charikar) of text for near-duplicate detection. Features: lower-cased Latin/digit
/// words as unigrams, and bigrams of consecutive tokens, where a token is such a word or one CJK
/// character (so CJK text contributes character bigrams, i.e. 2-shingles). Punctuation and whitespace
/// only separate tokens, so texts differing only in them hash identically; digits are kept.
/// Each feature is hashed with XxHash64 and votes +1/-1 on every bit.
/// </summary>
public static class SimHasher
{
    private const int MaxWordLength = 64;

    /// <summary>The SimHash of <paramref name="text"/>; 0 for text without letters or digits.</summary>
    public static ulong Compute(ReadOnlySpan<char> text)
    {
        Span<int> votes = stackalloc int[64];
        Span<char> word = stackalloc char[MaxWordLength];
        var features = 0;
        var previous = 0UL;
        var hasPrevious = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            ulong token;
            var isWord = false;
            if (IsCjk(text, i, out var cjkLength))
            {
                token = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(text.Slice(i, cjkLength)));
                i += cjkLength;
            }
            else if (char.IsLetterOrDigit(c))
            {
                var length = 0;
                while (i < text.Length && char.IsLetterOrDigit(text[i]) && !IsCjk(text, i, out _))
                {
                    // Over-long "words" (base64, hashes) are cut; the cut keeps them stable and distinct enough.
                    if (length < MaxWordLength)
                    {
                        word[length++] = char.ToLowerInvariant(text[i]);
                    }

                    i++;
                }

                token = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(word[..length]));
                isWord = true;
            }
            else
            {
                i++;
                continue;
            }

            if (isWord)
            {
                Vote(votes, token);
                features++;
            }

            if (hasPrevious)
            {
                Span<ulong> pair = [previous, token];
                Vote(votes, XxHash64.HashToUInt64(MemoryMarshal.AsBytes(pair), 1));
                features++;
            }

            previous = token;
            hasPrevious = true;
        }

        if (features == 0 && hasPrevious)
        {
            // A single CJK character: its own hash is the only feature.
            return previous;
        }

        var result = 0UL;
        for (var bit = 0; bit < 64; bit++)
        {
            if (votes[bit] > 0)
            {
                result |= 1UL << bit;
            }
        }

        return result;
    }

    /// <summary>The SimHash of <paramref name="text"/>.</summary>
    public static ulong Compute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Compute(text.AsSpan());
    }

    /// <summary>Number of differing bits between two SimHashes (0 to 64).</summary>
    public static int HammingDistance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    private static void Vote(Span<int> votes, ulong hash)
    {
        for (var bit = 0; bit < 64; bit++)
        {
            votes[bit] += (int)((hash >> bit) & 1) * 2 - 1;
        }
    }

    // CJK ideographs (BMP and supplementary planes), kana and Hangul; length is 2 for a surrogate pair.
    private static bool IsCjk(ReadOnlySpan<char> text, int i, out int length)
    {
        var c = text[i];
        length = 1;
        if (c is >= '\u3040' and <= '\u30FF' or >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF' or >= '\uF900' and <= '\uFAFF')
        {
            return true;
        }

        if (char.IsHighSurrogate(c) && i + 1 < text.Length && Rune.TryCreate(c, text[i + 1], out var rune) && rune.Value is >= 0x20000 and <= 0x3FFFF)
        {
            length = 2;
            return true;
        }

        return false;
    }
}
