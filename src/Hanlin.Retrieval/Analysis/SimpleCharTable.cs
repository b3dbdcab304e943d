namespace Hanlin.Retrieval.Analysis;

/// <summary>
/// The characters <see cref="FusedCjkEnglishTokenizer"/> tokenizes itself, with their word-break class and
/// the form the reference chain gives them (CJK width folding, then invariant lower case). The set is
/// deliberately small and each member is checked against <c>StandardTokenizer</c> character by character in
/// the tests; anything else makes the tokenizer run the reference chain, so a missing character costs speed,
/// never a token. Classes are those of Unicode 6.3, the version Lucene 4.8's grammar was generated from.
/// </summary>
internal static class SimpleCharTable
{
    /// <summary>Word-break class of every BMP code unit (<see cref="WordBreakClass.Unsupported"/> outside the set).</summary>
    public static readonly WordBreakClass[] Classes = BuildClasses();

    /// <summary>Width-folded, lower-cased form of every supported code unit (others map to themselves).</summary>
    public static readonly char[] Normalized = BuildNormalized();

    private static WordBreakClass[] BuildClasses()
    {
        var classes = new WordBreakClass[char.MaxValue + 1];

        // ASCII, controls included (CR, LF and the rest are breaks that never join a token).
        for (var c = 0; c < 0x80; c++)
        {
            classes[c] = AsciiClass((char)c);
        }

        // Full-width forms of ASCII U+FF01..U+FF5E have the word-break class of their ASCII form, except the
        // full-width quotation mark (Other, where '"' is Double_Quote, which only matters next to Hebrew) and
        // the full-width semicolon and comma, both MidNum like their ASCII forms.
        for (var c = 0xFF01; c <= 0xFF5E; c++)
        {
            classes[c] = AsciiClass((char)(c - 0xFEE0));
        }

        // Latin-1 and Greek letters (µg, °C, α-blocker), all ALetter.
        Set(classes, 0x00C0, 0x00D6, WordBreakClass.Letter);
        Set(classes, 0x00D8, 0x00F6, WordBreakClass.Letter);
        Set(classes, 0x00F8, 0x00FF, WordBreakClass.Letter);
        classes[0x00B5] = WordBreakClass.Letter;
        Set(classes, 0x0391, 0x03A1, WordBreakClass.Letter);
        Set(classes, 0x03A3, 0x03A9, WordBreakClass.Letter);
        Set(classes, 0x03B1, 0x03C9, WordBreakClass.Letter);
        Set(classes, 0x0100, 0x017F, WordBreakClass.Letter);

        // Roman numerals Ⅰ..Ⅻ, ⅰ..ⅻ are letters (Nl, Alphabetic) to UAX#29, not numbers.
        Set(classes, 0x2160, 0x216B, WordBreakClass.Letter);
        Set(classes, 0x2170, 0x217B, WordBreakClass.Letter);

        // Punctuation and symbols common in Chinese text.
        foreach (var c in "\u00A0\u00A2\u00A3\u00A5\u00A7\u00A9\u00AE\u00B0\u00B1\u00B2\u00B3\u00B9\u00BC\u00BD\u00BE\u00D7\u00F7"
            + "\u2010\u2011\u2012\u2013\u2014\u2015\u201C\u201D\u2020\u2021\u2022\u2026\u2030\u2032\u2033\u203B\u20AC\u2103\u2116\u2122"
            + "\u2190\u2191\u2192\u2193\u2212\u2500\u25A0\u25A1\u25B2\u25B3\u25CB\u25CF\u2605\u2606\uFFE5")
        {
            classes[c] = WordBreakClass.Other;
        }

        // Circled numbers ①..⑳ are symbols (No, not Alphabetic): they join nothing.
        Set(classes, 0x2460, 0x2473, WordBreakClass.Other);

        classes[0x00B7] = WordBreakClass.MidLetter;
        classes[0x2027] = WordBreakClass.MidLetter;
        classes[0x2018] = WordBreakClass.MidNumLet;
        classes[0x2019] = WordBreakClass.MidNumLet;

        // CJK symbols and punctuation: ideographic space, 、。〃〄 and the brackets 〈〉《》「」『』【】〒〓〔〕〖〗〘〙〚〛〜〝〞〟〠.
        // U+3005..U+3007 and U+3021..U+303F hold Han-script marks, combining marks and kana marks: left out.
        Set(classes, 0x3000, 0x3004, WordBreakClass.Other);
        Set(classes, 0x3008, 0x3020, WordBreakClass.Other);

        // CJK Unified Ideographs as assigned in Unicode 6.3 (U+9FCD onwards was unassigned, so not Han, there).
        Set(classes, 0x4E00, 0x9FCC, WordBreakClass.Han);
        return classes;
    }

    private static char[] BuildNormalized()
    {
        var normalized = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            // CJKWidthFilter folds U+FF01..U+FF5E onto ASCII; InvariantLowerCaseFilter then lower-cases per code unit.
            var folded = c is >= 0xFF01 and <= 0xFF5E ? (char)(c - 0xFEE0) : (char)c;
            normalized[c] = Classes[c] == WordBreakClass.Unsupported ? (char)c : char.ToLowerInvariant(folded);
        }

        return normalized;
    }

    private static WordBreakClass AsciiClass(char c) => c switch
    {
        >= 'a' and <= 'z' or >= 'A' and <= 'Z' => WordBreakClass.Letter,
        >= '0' and <= '9' => WordBreakClass.Numeric,
        '_' => WordBreakClass.ExtendNumLet,
        ':' => WordBreakClass.MidLetter,
        '.' or '\'' => WordBreakClass.MidNumLet,
        ',' or ';' => WordBreakClass.MidNum,
        _ => WordBreakClass.Other,
    };

    private static void Set(WordBreakClass[] classes, int first, int last, WordBreakClass value) =>
        Array.Fill(classes, value, first, last - first + 1);
}
