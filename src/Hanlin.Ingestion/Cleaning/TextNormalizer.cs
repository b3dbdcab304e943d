using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Hanlin.Ingestion.Cleaning;

/// <summary>
/// Cleans extracted text in one linear pass (after NFC):
/// <list type="bullet">
/// <item>Unicode NFC, not NFKC: NFKC would turn the meaningful Chinese punctuation ，：；（） into ASCII.</item>
/// <item>Full-width forms U+FF01..U+FF5E fold to ASCII for letters, digits and the symbols
/// <c># $ % &amp; * + - . / &lt; = &gt; @ \ ^ _ ` |</c>. Kept full-width, because Chinese prose uses them as its own
/// punctuation: ！＂＇（），：；？［］｛｝～ (U+FF01, FF02, FF07, FF08, FF09, FF0C, FF1A, FF1B, FF1F, FF3B, FF3D,
/// FF5B, FF5D, FF5E). Punctuation outside that block (。、【】「」『』《》) is never touched.</item>
/// <item>The ideographic space U+3000, no-break and other Unicode spaces, and tabs become a space; runs of
/// spaces fold to one; lines are trimmed.</item>
/// <item>Control and format characters are removed (zero-width spaces, BOMs, soft hyphens, bidi marks),
/// except line breaks; CR LF, CR, NEL, U+2028 and U+2029 become LF; 3+ line breaks collapse to 2.</item>
/// <item>A space between two CJK characters is removed ("阿 司 匹 林" → "阿司匹林", a PDF/OCR artefact), a
/// space between Latin words is kept.</item>
/// <item>An unpaired surrogate becomes U+FFFD.</item>
/// </list>
/// The result has no leading or trailing whitespace.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Returns the cleaned text (see the type's remarks for the rules).</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        Append(sb, text, singleLine: false);
        return sb.ToString();
    }

    /// <summary>Like <see cref="Normalize(string)"/> but line breaks become spaces (headings, table cells, titles).</summary>
    public static string NormalizeLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        Append(sb, text, singleLine: true);
        return sb.ToString();
    }

    /// <summary>Appends the cleaned form of <paramref name="text"/> to <paramref name="sb"/>; appends nothing when it cleans to empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Append(StringBuilder sb, string text, bool singleLine)
    {
        var source = ToNfc(text);
        var span = source.AsSpan();
        var baseLength = sb.Length;
        var pendingSpace = false;
        var pendingNewlines = 0;
        var lastCjk = false;
        var lastCjkPunctuation = false;

        // Characters kept as they are accumulate in a run [run, i) that is appended in one call; anything
        // else (whitespace, removed or mapped characters) ends the run first.
        var run = -1;
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            bool cjk;
            var verbatim = true;
            var width = 1;
            if (c < 0x80)
            {
                if (c > ' ' && c != '\u007F')
                {
                    cjk = false;
                }
                else
                {
                    FlushRun(sb, span, ref run, i);
                    if (c is ' ' or '\t' or '\v' or '\f')
                    {
                        pendingSpace = true;
                    }
                    else if (c is '\n' or '\r')
                    {
                        if (c == '\r' && i + 1 < span.Length && span[i + 1] == '\n')
                        {
                            i++;
                        }

                        BreakLine(singleLine, ref pendingSpace, ref pendingNewlines);
                    }

                    continue;
                }
            }
            else if (c is >= '\u4E00' and <= '\u9FFF')
            {
                cjk = true;
            }
            else if (c is >= '\uFF01' and <= '\uFF5E' && !IsKeptFullWidth(c))
            {
                c = (char)(c - 0xFEE0);
                cjk = false;
                verbatim = false;
            }
            else if (IsSpace(c) || c is '\u0085' or '\u2028' or '\u2029')
            {
                FlushRun(sb, span, ref run, i);
                if (IsSpace(c))
                {
                    pendingSpace = true;
                }
                else
                {
                    BreakLine(singleLine, ref pendingSpace, ref pendingNewlines);
                }

                continue;
            }
            else
            {
                var category = char.GetUnicodeCategory(c);
                if (category is UnicodeCategory.Control or UnicodeCategory.Format)
                {
                    FlushRun(sb, span, ref run, i);
                    continue;
                }

                if (category == UnicodeCategory.Surrogate)
                {
                    if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
                    {
                        cjk = CjkCharacters.IsCjk(char.ConvertToUtf32(c, span[i + 1]));
                        width = 2;
                    }
                    else
                    {
                        c = '\uFFFD';
                        cjk = false;
                        verbatim = false;
                    }
                }
                else
                {
                    cjk = CjkCharacters.IsCjk(c);
                }
            }

            var punctuation = cjk && width == 1 && CjkCharacters.IsCjkPunctuation(c);
            if (pendingSpace || pendingNewlines > 0)
            {
                // A space touching CJK punctuation goes too ("100 mg ，" → "100 mg，", "（ Aspirin ）" → "（Aspirin）").
                FlushRun(sb, span, ref run, i);
                FlushPending(sb, baseLength, (cjk && lastCjk) || punctuation || lastCjkPunctuation, ref pendingSpace, ref pendingNewlines);
            }

            if (verbatim)
            {
                run = run < 0 ? i : run;
            }
            else
            {
                FlushRun(sb, span, ref run, i);
                sb.Append(c);
            }

            i += width - 1;
            lastCjk = cjk;
            lastCjkPunctuation = punctuation;
        }

        FlushRun(sb, span, ref run, span.Length);
    }

    private static void FlushRun(StringBuilder sb, ReadOnlySpan<char> span, ref int run, int end)
    {
        if (run >= 0)
        {
            sb.Append(span[run..end]);
            run = -1;
        }
    }

    private static void BreakLine(bool singleLine, ref bool pendingSpace, ref int pendingNewlines)
    {
        if (singleLine)
        {
            pendingSpace = true;
            return;
        }

        // Trailing spaces of the line just ended are dropped, leading spaces of the next are not yet seen.
        pendingSpace = false;
        pendingNewlines++;
    }

    private static void FlushPending(StringBuilder sb, int baseLength, bool dropSpace, ref bool pendingSpace, ref int pendingNewlines)
    {
        if (sb.Length > baseLength)
        {
            if (pendingNewlines > 0)
            {
                sb.Append('\n', Math.Min(pendingNewlines, 2));
            }
            else if (pendingSpace && !dropSpace)
            {
                sb.Append(' ');
            }
        }

        pendingSpace = false;
        pendingNewlines = 0;
    }

    // NFC throws on unpaired surrogates; they are replaced with U+FFFD first (rare: broken extractor output).
    private static string ToNfc(string text)
    {
        try
        {
            return Ascii.IsValid(text) || text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            var chars = text.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(chars[i]))
                {
                    chars[i] = '\uFFFD';
                }
            }

            return new string(chars).Normalize(NormalizationForm.FormC);
        }
    }

    private static bool IsSpace(char c) => c is '\u00A0' or '\u1680' or (>= '\u2000' and <= '\u200A') or '\u202F' or '\u205F' or '\u3000';

    private static bool IsKeptFullWidth(char c) =>
        c is '！' or '＂' or '＇' or '（' or '）' or '，' or '：' or '；' or '？' or '［' or '］' or '｛' or '｝' or '～';
}
