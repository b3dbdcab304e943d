namespace Hanlin.Ingestion.Cleaning;

/// <summary>
/// Which characters belong to scripts written without spaces between words (Chinese, Japanese), plus their
/// punctuation. Hangul is excluded on purpose: Korean separates words with spaces.
/// </summary>
internal static class CjkCharacters
{
    /// <summary>True for Han ideographs, kana, CJK symbols and punctuation, and full-width punctuation.</summary>
    public static bool IsCjk(int codePoint) => codePoint switch
    {
        >= 0x3000 and <= 0x303F => true, // CJK symbols and punctuation: 、。「」【】 and U+3000 itself
        >= 0x3040 and <= 0x30FF => true, // hiragana, katakana
        >= 0x31F0 and <= 0x31FF => true, // katakana phonetic extensions
        >= 0x3400 and <= 0x4DBF => true, // extension A
        >= 0x4E00 and <= 0x9FFF => true, // unified ideographs
        >= 0xF900 and <= 0xFAFF => true, // compatibility ideographs
        >= 0xFE30 and <= 0xFE4F => true, // CJK compatibility forms (vertical punctuation)
        >= 0xFF01 and <= 0xFF60 => true, // full-width forms: ，！？：；（） and what folding leaves
        >= 0xFF61 and <= 0xFF9F => true, // half-width katakana and punctuation
        >= 0x20000 and <= 0x3FFFF => true, // supplementary ideographic planes (extensions B..H)
        _ => false,
    };

    /// <summary>CJK symbols and punctuation (U+3000 block, minus the iteration marks 々〆〇) and the kept full-width punctuation.</summary>
    public static bool IsCjkPunctuation(char c) => c is (>= '\u3001' and <= '\u3004') or (>= '\u3008' and <= '\u3020') or (>= '\u3030' and <= '\u303F')
        or (>= '\uFF01' and <= '\uFF0F') or (>= '\uFF1A' and <= '\uFF20') or (>= '\uFF3B' and <= '\uFF40') or (>= '\uFF5B' and <= '\uFF65');

    /// <summary>Code point of the character at <paramref name="index"/>, combining a surrogate pair.</summary>
    public static int CodePointAt(ReadOnlySpan<char> text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? char.ConvertToUtf32(text[index], text[index + 1])
            : text[index];

    /// <summary>Code point of the character that ends at <paramref name="endExclusive"/>.</summary>
    public static int CodePointBefore(ReadOnlySpan<char> text, int endExclusive) =>
        endExclusive >= 2 && char.IsLowSurrogate(text[endExclusive - 1]) && char.IsHighSurrogate(text[endExclusive - 2])
            ? char.ConvertToUtf32(text[endExclusive - 2], text[endExclusive - 1])
            : text[endExclusive - 1];
}
