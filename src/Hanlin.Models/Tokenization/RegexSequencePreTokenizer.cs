using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// Splits text with a sequence of regexes, each applied to every piece the previous one left, keeping both
/// matches and the text between them as pieces (Hugging Face <c>Split(behavior: Isolated)</c>, llama.cpp
/// <c>unicode_regex_split</c>). Microsoft.ML.Tokenizers' <see cref="RegexPreTokenizer"/> applies one regex and
/// drops unmatched text, which DeepSeek's multi-stage splitting needs kept, hence this subclass.
/// </summary>
internal sealed class RegexSequencePreTokenizer(IReadOnlyList<Regex> stages) : PreTokenizer
{
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Split(text);
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    public List<(int Offset, int Length)> Split(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return SplitCodeUnits(text);
        }

        // The reference regexes run on code points, .NET's on UTF-16 units: \p{L} does not match a supplementary
        // letter, and a match may end between the halves of a surrogate pair (emoji followed by letters). So each
        // supplementary code point is replaced by one BMP stand-in of the same category that no pattern names
        // explicitly, the regexes run on that string, and offsets are mapped back to the original.
        var mapped = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            starts.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                mapped.Append(StandIn(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]))));
                i++;
            }
            else
            {
                mapped.Append(text[i]);
            }
        }

        starts.Add(text.Length);
        return [.. SplitCodeUnits(mapped.ToString()).Select(p => (starts[p.Offset], starts[p.Offset + p.Length] - starts[p.Offset]))];
    }

    private static char StandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
            or UnicodeCategory.OtherLetter => '\uA000', // YI SYLLABLE IT (Lo)
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber
            or UnicodeCategory.OtherNumber => '\u0660', // ARABIC-INDIC DIGIT ZERO (Nd)
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.EnclosingMark => '\u0300', // COMBINING GRAVE ACCENT (Mn)
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation => '\u00A1', // INVERTED EXCLAMATION MARK (Po)
        _ => '\u00A6', // BROKEN BAR (So): symbols (emoji), private use, unassigned
    };

    private List<(int Offset, int Length)> SplitCodeUnits(string text)
    {
        var pieces = new List<(int Offset, int Length)> { (0, text.Length) };
        foreach (var stage in stages)
        {
            var next = new List<(int Offset, int Length)>(pieces.Count * 2);
            foreach (var (offset, length) in pieces)
            {
                // Each piece is matched as a string of its own, so anchors and lookarounds see only the piece.
                var piece = text.Substring(offset, length);
                var last = 0;
                foreach (Match match in stage.Matches(piece))
                {
                    if (match.Length == 0)
                    {
                        continue;
                    }

                    if (match.Index > last)
                    {
                        next.Add((offset + last, match.Index - last));
                    }

                    next.Add((offset + match.Index, match.Length));
                    last = match.Index + match.Length;
                }

                if (last < length)
                {
                    next.Add((offset + last, length - last));
                }
            }

            pieces = next;
        }

        pieces.RemoveAll(p => p.Length == 0);
        return pieces;
    }
}
