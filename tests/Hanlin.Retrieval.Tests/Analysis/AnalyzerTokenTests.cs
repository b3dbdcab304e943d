using System.Text;
using Hanlin.Retrieval.Analysis;
using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;

namespace Hanlin.Retrieval.Tests.Analysis;

public sealed class AnalyzerTokenTests
{
    [Fact]
    public void The_table_lower_casing_agrees_with_Lucenes_lower_case_filter_on_every_character()
    {
        var text = new StringBuilder();
        for (var c = 0x21; c <= char.MaxValue; c++)
        {
            if (!char.IsSurrogate((char)c) && !char.IsWhiteSpace((char)c))
            {
                text.Append((char)c);
            }
        }

        // Supplementary upper-case letters: Deseret, Osage, Adlam.
        text.Append("\U00010400\U000104B0\U0001E900");

        var expected = Single(new LowerCaseFilter(HanlinAnalyzer.Version, new KeywordTokenizer(new StringReader(text.ToString()))));
        var actual = Single(new InvariantLowerCaseFilter(new KeywordTokenizer(new StringReader(text.ToString()))));

        Assert.Equal(expected, actual);
        Assert.EndsWith("\U00010428\U000104D8\U0001E922", actual, StringComparison.Ordinal);
    }

    [Fact]
    public void Bigrams_and_dictionary_terms_keep_their_positions_and_offsets()
    {
        var analyzer = new HanlinAnalyzer(DomainDictionary.FromTerms(["阿司匹林"]));
        using var stream = analyzer.GetTokenStream("text", "Take 阿司匹林片 daily");
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        var type = stream.AddAttribute<ITypeAttribute>();
        var keyword = stream.AddAttribute<IKeywordAttribute>();
        stream.Reset();
        var tokens = new List<string>();
        while (stream.IncrementToken())
        {
            tokens.Add($"{term}@{offset.StartOffset}-{offset.EndOffset}+{increment.PositionIncrement}:{type.Type}{(keyword.IsKeyword ? "!" : string.Empty)}");
        }

        stream.End();

        Assert.Equal(
            [
                "take@0-4+1:<ALPHANUM>",
                "阿司@5-7+1:<DOUBLE>!",
                "阿司匹林@5-9+0:<DICT>!",
                "司匹@6-8+1:<DOUBLE>!",
                "匹林@7-9+1:<DOUBLE>!",
                "林片@8-10+1:<DOUBLE>!",
                "daili@11-16+1:<ALPHANUM>",
            ],
            tokens);
    }

    [Fact]
    public void Tokens_other_than_bigrams_leave_the_domain_filter_with_every_attribute_they_entered_with()
    {
        // Words, numbers and lone CJK characters right after a CJK run are held back while the run is flushed;
        // they must come out exactly as the bigram filter made them (the filter only marks lone CJK characters
        // as keywords, so the keyword flag is left out of the comparison).
        var text = "Take 阿司匹林片 daily, 每日3次 with water. 用量0.5mg。一 word 血压's 2024年 ok 高 低 stop。";
        var expected = Reflect(BigramChain(text), dropBigrams: false);
        var actual = Reflect(new DomainTermFilter(BigramChain(text), DomainDictionary.FromTerms(["阿司匹林"])), dropBigrams: true);

        Assert.Equal(expected.Where(t => !t.Contains("<DOUBLE>", StringComparison.Ordinal)), actual);
        Assert.Contains(actual, t => t.Contains("term=3", StringComparison.Ordinal));
    }

    private static TokenStream BigramChain(string text)
    {
        TokenStream stream = new CJKWidthFilter(new StandardTokenizer(HanlinAnalyzer.Version, new StringReader(text)));
        stream = new InvariantLowerCaseFilter(stream);
        stream = new EnglishPossessiveFilter(HanlinAnalyzer.Version, stream);
        return new CJKBigramFilter(stream);
    }

    private static List<string> Reflect(TokenStream stream, bool dropBigrams)
    {
        using (stream)
        {
            var type = stream.AddAttribute<ITypeAttribute>();
            stream.Reset();
            var tokens = new List<string>();
            while (stream.IncrementToken())
            {
                if (dropBigrams && type.Type is "<DOUBLE>" or DomainTermFilter.DictionaryTokenType)
                {
                    continue;
                }

                tokens.Add(Regex.Replace(stream.ReflectAsString(prependAttClass: true), @",?[^,]*#keyword=\w+", string.Empty));
            }

            stream.End();
            return tokens;
        }
    }

    private static string Single(TokenStream stream)
    {
        using (stream)
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            Assert.True(stream.IncrementToken());
            var value = term.ToString();
            Assert.False(stream.IncrementToken());
            stream.End();
            return value;
        }
    }
}
