using Hanlin.Ingestion.Cleaning;

namespace Hanlin.Ingestion.Tests.Cleaning;

public sealed class TextNormalizerTests
{
    [Fact]
    public void Full_width_letters_digits_and_symbols_fold_to_ascii()
    {
        Assert.Equal("ABC123 abc @#$%&+-=/", TextNormalizer.Normalize("ＡＢＣ１２３　ａｂｃ　＠＃＄％＆＋－＝／"));
    }

    [Fact]
    public void Chinese_punctuation_is_kept_not_folded_to_ascii()
    {
        const string text = "注意：饭后服用（每日一次），不可嚼碎；过量？请就医！【警告】「儿童」『慎用』、～";
        Assert.Equal(text, TextNormalizer.Normalize(text));
    }

    [Fact]
    public void Spaces_a_pdf_left_between_cjk_characters_are_removed_but_latin_word_spaces_stay()
    {
        Assert.Equal("阿司匹林 Aspirin tablets 100 mg，每日一次。", TextNormalizer.Normalize("阿 司 匹 林  Aspirin   tablets 100 mg ， 每 日 一 次 。"));
    }

    [Fact]
    public void Ideographic_and_no_break_spaces_become_ordinary_spaces()
    {
        Assert.Equal("a b c", TextNormalizer.Normalize("a\u3000b\u00A0c"));
    }

    [Fact]
    public void Zero_width_and_format_characters_are_removed()
    {
        Assert.Equal("阿司匹林 co-operate", TextNormalizer.Normalize("\uFEFF阿\u200B司\u200D匹林 co-op\u00ADerate\u0007"));
    }

    [Fact]
    public void Line_endings_are_unified_lines_trimmed_and_blank_runs_collapsed()
    {
        Assert.Equal("one two\n\nthree\nfour", TextNormalizer.Normalize("  one \t two  \r\n\r\n\r\n\n  three\rfour\u2028"));
    }

    [Fact]
    public void Text_is_composed_to_nfc_not_nfkc()
    {
        // e + combining acute composes to é; the ligature ﬁ is a compatibility form and stays.
        Assert.Equal("café ﬁ ²", TextNormalizer.Normalize("cafe\u0301 ﬁ ²"));
    }

    [Fact]
    public void Supplementary_ideographs_are_treated_as_cjk_and_lone_surrogates_replaced()
    {
        Assert.Equal("𠀀𠀁", TextNormalizer.Normalize("𠀀 𠀁"));
        Assert.Equal("a\uFFFDb", TextNormalizer.Normalize("a\uD800b"));
    }

    [Fact]
    public void Hangul_keeps_its_word_spaces()
    {
        Assert.Equal("하루 한 번", TextNormalizer.Normalize("하루  한 번"));
    }

    [Fact]
    public void Whitespace_only_text_normalises_to_empty()
    {
        Assert.Equal(string.Empty, TextNormalizer.Normalize(" \u3000\n\t\u200B\r\n "));
    }

    [Fact]
    public void Normalising_twice_changes_nothing()
    {
        const string text = " ＡＢ  阿 司\u200B匹林\r\n\r\n\r\nline ，ｘ ";
        var once = TextNormalizer.Normalize(text);
        Assert.Equal(once, TextNormalizer.Normalize(once));
    }
}
