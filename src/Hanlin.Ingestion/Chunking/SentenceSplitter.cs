using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// Splits Chinese, English and mixed text into sentences, returning exact character spans so chunk
/// offsets stay exact. Spans exclude surrounding whitespace and never overlap; text between them is
/// whitespace only. A newline always ends a sentence (lines in list and paragraph text are hard breaks).
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Hand-written rather than taken from a library: the .NET options (ICU break iterators are not exposed,
/// ML.NET has none) do not handle Chinese terminators, closing quotes and English abbreviations together,
/// and this runs on every character of every ingested document, so it must be a single allocation-free scan.
/// </remarks>
public sealed class SentenceSplitter
{
    // Lower-case, without the final dot. A dot after one of these does not end a sentence.
    private static readonly FrozenSet<string> Abbreviations = new[]
    {
        "e.g", "i.e", "etc", "vs", "cf", "al", "approx", "ca", "resp",
        "dr", "mr", "mrs", "ms", "prof", "sr", "jr", "st", "mt", "rev", "gen", "col", "lt", "sgt", "capt",
        "no", "nos", "fig", "figs", "tab", "eq", "eqs", "ref", "refs", "vol", "vols", "ch", "chap", "sec",
        "p", "pp", "para", "art", "ed", "eds", "op", "inc", "ltd", "co", "corp", "dept", "univ", "est",
        "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "ph.d", "m.d", "b.sc", "m.sc", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "tel",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Sentence spans of <paramref name="text"/>, relative to its start.</summary>
    public IReadOnlyList<TextSpan> Split(ReadOnlySpan<char> text)
    {
        var result = new List<TextSpan>();
        Split(text, 0, result);
        return result;
    }

    /// <summary>
    /// Appends the sentence spans of <paramref name="text"/> to <paramref name="sentences"/>, each shifted
    /// by <paramref name="offset"/> (pass the position of <paramref name="text"/> in its document).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Split(ReadOnlySpan<char> text, int offset, List<TextSpan> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var start = -1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                Emit(text, ref start, i, offset, sentences);
                i++;
                continue;
            }

            if (start < 0)
            {
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                start = i;
            }

            var end = c switch
            {
                '。' or '！' or '？' or '；' or '…' or '｡' => AfterCjkTerminator(text, i),
                '!' or '?' => AfterLatinTerminator(text, i),
                '.' => AfterDot(text, start, i),
                _ => -1,
            };

            if (end < 0)
            {
                i++;
                continue;
            }

            Emit(text, ref start, end, offset, sentences);
            i = end;
        }

        Emit(text, ref start, text.Length, offset, sentences);
    }

    private static void Emit(ReadOnlySpan<char> text, ref int start, int end, int offset, List<TextSpan> sentences)
    {
        if (start < 0)
        {
            return;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end > start)
        {
            sentences.Add(new TextSpan(offset + start, end - start));
        }

        start = -1;
    }

    // Returns the end of the sentence (exclusive) or -1 when the terminator at i does not end one.
    private static int AfterCjkTerminator(ReadOnlySpan<char> text, int i)
    {
        var j = SkipTerminators(text, i + 1);
        if (text[i] == '…' && j < text.Length && IsLowerLatin(FirstNonSpace(text, j)))
        {
            return -1;
        }

        return SkipClosers(text, j);
    }

    private static int AfterLatinTerminator(ReadOnlySpan<char> text, int i)
    {
        var j = SkipClosers(text, SkipTerminators(text, i + 1));
        return BreaksBefore(text, j) ? j : -1;
    }

    private static int AfterDot(ReadOnlySpan<char> text, int sentenceStart, int i)
    {
        var dots = i;
        while (dots < text.Length && text[dots] == '.')
        {
            dots++;
        }

        var j = SkipClosers(text, SkipTerminators(text, dots));
        if (!BreaksBefore(text, j))
        {
            // "3.14", "e.g.," or "v1.2": the dot sits inside a token.
            return -1;
        }

        var next = FirstNonSpace(text, j);
        if (IsLowerLatin(next))
        {
            // "approx. twice", "... and so on": a lower-case continuation is never a new sentence.
            return -1;
        }

        if (dots - i > 1)
        {
            return j;
        }

        var wordStart = i;
        while (wordStart > sentenceStart && (char.IsLetterOrDigit(text[wordStart - 1]) || text[wordStart - 1] == '.'))
        {
            wordStart--;
        }

        var word = text[wordStart..i];
        if (word.IsEmpty)
        {
            return j;
        }

        if (IsEnumerator(text, sentenceStart, wordStart, word))
        {
            return -1;
        }

        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            // An initial, as in "J. Smith".
            return -1;
        }

        if (word.Length <= 8)
        {
            Span<char> lower = stackalloc char[word.Length];
            word.ToLowerInvariant(lower);
            if (Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(lower))
            {
                // "etc." often closes a sentence; titles and "No."/"Fig." never do before a name or number.
                return next == '\0' || (lower.SequenceEqual("etc") && char.IsUpper(next)) ? j : -1;
            }
        }

        return j;
    }

    // "1." or "a." or "iv." right at the start of a line is a list number, not a sentence.
    private static bool IsEnumerator(ReadOnlySpan<char> text, int sentenceStart, int wordStart, ReadOnlySpan<char> word)
    {
        if (wordStart != sentenceStart || word.Length > 3)
        {
            return false;
        }

        foreach (var c in word)
        {
            if (!char.IsDigit(c) && !(char.IsAsciiLetter(c) && word.Length == 1) && "ivxIVX".IndexOf(c) < 0)
            {
                return false;
            }
        }

        return true;
    }

    // A Latin terminator ends a sentence only before whitespace, the end of text or a CJK character.
    private static bool BreaksBefore(ReadOnlySpan<char> text, int j) =>
        j >= text.Length || char.IsWhiteSpace(text[j]) || IsCjk(text[j]);

    private static int SkipTerminators(ReadOnlySpan<char> text, int j)
    {
        while (j < text.Length && text[j] is '。' or '！' or '？' or '!' or '?' or '…' or '.' or '｡')
        {
            j++;
        }

        return j;
    }

    private static int SkipClosers(ReadOnlySpan<char> text, int j)
    {
        while (j < text.Length && text[j] is '”' or '’' or '」' or '』' or '）' or '》' or '】' or ')' or '"' or '\'' or ']')
        {
            j++;
        }

        return j;
    }

    private static char FirstNonSpace(ReadOnlySpan<char> text, int j)
    {
        while (j < text.Length && text[j] is ' ' or '\t' or '\u00A0' or '\u3000')
        {
            j++;
        }

        return j < text.Length ? text[j] : '\0';
    }

    private static bool IsLowerLatin(char c) => char.IsAsciiLetterLower(c);

    private static bool IsCjk(char c) =>
        c is >= '\u3040' and <= '\u30FF' or >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF' or >= '\uF900' and <= '\uFAFF';
}
