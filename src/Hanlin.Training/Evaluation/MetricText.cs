using System.Text;

namespace Hanlin.Training.Evaluation;

/// <summary>
/// Script-aware tokenisation shared by the text metrics: each CJK ideograph or kana is a token of its own (Chinese
/// and Japanese are written without spaces, so character level is the standard unit), a run of other letters and
/// digits is one lower-cased word, everything else only separates. Pure English therefore gives words and pure
/// Chinese gives characters, which is what "automatic by script" means for every metric here.
/// </summary>
public static class MetricText
{
    /// <summary>True for Han ideographs (BMP and supplementary planes) and kana; CJK punctuation is not included.</summary>
    public static bool IsCjk(Rune rune) => rune.Value switch
    {
        >= 0x3040 and <= 0x30FF => true, // hiragana, katakana (U+30FB middle dot is rare enough to count)
        >= 0x31F0 and <= 0x31FF => true,
        >= 0x3400 and <= 0x4DBF => true,
        >= 0x4E00 and <= 0x9FFF => true,
        >= 0xF900 and <= 0xFAFF => true,
        >= 0x20000 and <= 0x3FFFF => true,
        _ => false,
    };

    /// <summary>True when <paramref name="text"/> has at least one CJK character.</summary>
    public static bool ContainsCjk(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Lower-cased words and single CJK characters of <paramref name="text"/>, in order.</summary>
    public static List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                Flush(word, tokens);
                tokens.Add(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                Flush(word, tokens);
            }
        }

        Flush(word, tokens);
        return tokens;
    }

    private static void Flush(StringBuilder word, List<string> tokens)
    {
        if (word.Length > 0)
        {
            tokens.Add(word.ToString());
            word.Clear();
        }
    }
}
