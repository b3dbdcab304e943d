using Hanlin.Retrieval.Analysis;

namespace Hanlin.Retrieval.Tests.Analysis;

public sealed class HanlinAnalyzerTests
{
    private static readonly HanlinAnalyzer Analyzer = new(DomainDictionary.FromTerms(["阿司匹林", "净资产收益率", "华法林"]));

    [Fact]
    public void Chinese_text_becomes_overlapping_bigrams()
    {
        Assert.Equal(["禁忌", "忌症"], Analyzer.Terms("禁忌症"));
    }

    [Fact]
    public void Dictionary_terms_are_emitted_whole_in_addition_to_bigrams()
    {
        var terms = Analyzer.Terms("服用阿司匹林禁忌");

        Assert.Equal(["服用", "用阿", "阿司", "阿司匹林", "司匹", "匹林", "林禁", "禁忌"], terms);
    }

    [Fact]
    public void The_longest_dictionary_term_wins_at_a_position()
    {
        var analyzer = new HanlinAnalyzer(DomainDictionary.FromTerms(["净资产", "净资产收益率", "收益率"]));

        var terms = analyzer.Terms("净资产收益率高");

        Assert.Contains("净资产收益率", terms);
        Assert.DoesNotContain("净资产", terms);
        Assert.Contains("收益率", terms);
    }

    [Fact]
    public void English_is_lower_cased_stemmed_and_stripped_of_stop_words_and_possessives()
    {
        var terms = Analyzer.Terms("The Patient's drug Interactions was studied");

        Assert.Equal(["patient", "drug", "interact", "studi"], terms);
        Assert.Equal(Analyzer.Terms("interaction"), Analyzer.Terms("interactions"));
    }

    [Fact]
    public void Numbers_are_kept_whole()
    {
        Assert.Equal(["0.5", "2024"], Analyzer.Terms("0.5 2024"));
    }

    [Fact]
    public void Mixed_text_splits_scripts_and_keeps_dictionary_terms()
    {
        var terms = Analyzer.Terms("Aspirin（阿司匹林）剂量0.5g，2024年");

        Assert.Contains("aspirin", terms);
        Assert.Contains("阿司匹林", terms);
        Assert.Contains("剂量", terms);
        Assert.Contains("年", terms);
    }

    [Fact]
    public void Full_width_latin_letters_fold_to_ascii()
    {
        Assert.Equal(Analyzer.Terms("ABC"), Analyzer.Terms("ＡＢＣ"));
    }

    [Fact]
    public void Dictionary_terms_are_matched_in_separate_runs()
    {
        var terms = Analyzer.Terms("华法林 and 阿司匹林");

        Assert.Contains("华法林", terms);
        Assert.Contains("阿司匹林", terms);
    }

    [Fact]
    public void Characters_outside_the_basic_plane_do_not_break_runs_or_dictionary_matches()
    {
        var terms = Analyzer.Terms("𠮷野家阿司匹林");

        Assert.Contains("𠮷野", terms);
        Assert.Contains("阿司匹林", terms);
    }

    [Fact]
    public void Dictionary_loads_from_a_text_file_and_ignores_comments_and_blanks()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("terms.txt", "# comment\n\n市盈率\n  净资产收益率  \n");

        var dictionary = DomainDictionary.Load(path);

        Assert.Equal(2, dictionary.Count);
        Assert.True(dictionary.Contains("市盈率"));
        Assert.Contains("市盈率", new HanlinAnalyzer(dictionary).Terms("动态市盈率"));
    }

    [Fact]
    public void A_missing_dictionary_file_is_a_domain_error()
    {
        var ex = Assert.Throws<Hanlin.Core.Errors.HanlinException>(() => DomainDictionary.Load("does-not-exist/terms.txt"));
        Assert.Equal(Hanlin.Core.Errors.ErrorCodes.FileNotFound, ex.Code);
    }

    [Fact]
    public void The_built_in_dictionary_knows_common_domain_terms()
    {
        Assert.True(DomainDictionary.BuiltIn.Contains("阿司匹林"));
        Assert.True(DomainDictionary.BuiltIn.Contains("市盈率"));
    }
}
