using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hanlin.Retrieval.Analysis;
using Hanlin.Retrieval.Benchmarks;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Hanlin.Retrieval.Tests.Analysis;

/// <summary>
/// Differential tests: the fused tokenizer (and the analyzer built on it) must emit exactly the tokens of the
/// reference chain of Lucene components (term, offsets, position increment and length, type, keyword flag, and
/// the end-of-stream offset and increment) on every input.
/// </summary>
public sealed class FusedTokenizerEquivalenceTests
{
    // Terms built from the fuzz alphabet's ideographs, so whole-term matches (nested, overlapping, at run ends)
    // happen often; plus the built-in list for the real-text tests.
    private static readonly DomainDictionary FuzzDictionary = DomainDictionary.FromTerms(
        ["阿司匹林", "阿司匹", "司匹林片", "匹林", "林片阿", "片阿司匹林片", "高血压", "血压高", "高血", "用量用量用"]).Union(DomainDictionary.BuiltIn);

    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void Every_character_the_fast_path_accepts_tokenizes_as_the_reference_chain_does_next_to_letters_digits_joiners_and_ideographs()
    {
        var contexts = new[] { "{0}", "a{0}b", "1{0}2", "a{0}", "{0}a", "汉{0}字", "_{0}_", "x{0}s", "{0}{0}", "A{0}'s", "高{0}血压" };
        var supported = Enumerable.Range(0, char.MaxValue + 1)
            .Where(c => SimpleCharTable.Classes[c] != WordBreakClass.Unsupported)
            .ToList();
        var compared = 0;
        foreach (var batch in supported.Chunk(2000))
        {
            var text = new StringBuilder();
            foreach (var c in batch)
            {
                foreach (var context in contexts)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{string.Format(CultureInfo.InvariantCulture, context, (char)c)} ");
                }
            }

            compared += AssertChainsAgree(text.ToString(), FuzzDictionary, expectFastPath: true);
        }

        Report(compared, $"over {supported.Count} characters");
        Assert.True(supported.Count > 21_000, $"only {supported.Count} characters are supported");
        Assert.True(compared > 200_000, $"only {compared} tokens compared");
    }

    [Theory]
    [InlineData("U.S.A. and e.g. the U.S. a.b. .a. 'a' a'b'c don't it's It's JOHN'S dogs' o'neil's")]
    [InlineData("3.5mg 1,000.50 1,,2 1.,2 1..2 .5 5. 3.5.7 a1.2 1a.b 1.a a.1 a,b 1:2 a:b a::b a:1 a;b 1;2 1'2 a'1")]
    [InlineData("x_y _x x_ __ _ _1_ a__b 1__2 a_1 1_a _._ a_.b a._b x_'s 2024年3月 abc汉字123 汉a字 汉_字")]
    [InlineData("H₂O 10µg α-β Σσ café NAÏVE naïve’s it’s Ｉｔ＇ｓ ＡＢＣ１２３ ｘ＿ｙ １，０００．５ ａ：ｂ ＄１００ ％ ～")]
    [InlineData("Take 阿司匹林片 daily, 每日3次 with water. 用量0.5mg。一 word 血压's 2024年 ok 高 低 stop。 the a an")]
    [InlineData("“阿司匹林”——《高血压》（2024）【注】〔一〕「二」…… 1° ±2 3×4 5÷6 ￥7 8‰ 9℃ 10•11 ‘q’ a·b")]
    [InlineData("")]
    [InlineData("   \t\r\n ")]
    [InlineData("汉")]
    [InlineData("_")]
    [InlineData("a")]
    [InlineData("々〆〇 ぁ ア 한 😀 \uD800 a\u0301b a\u00ADb a\u200Bb \u9FCD\u9FFF \u3400 ＦＦｶﾞ")]
    public void Tricky_words_numbers_joiners_and_ideographs_tokenize_as_the_reference_chain_does(string text)
    {
        AssertChainsAgree(text, FuzzDictionary, expectFastPath: null);
        AssertAnalyzersAgree([text], FuzzDictionary);
    }

    [Fact]
    public void Seeded_random_strings_over_a_tricky_alphabet_tokenize_as_the_reference_chain_does()
    {
        string[] alphabet =
        [
            "a", "b", "e", "s", "S", "x", "Z", "é", "µ", "Σ", "0", "1", "9", "'", "’", "‘", ".", ",", ":", ";", "_", "-",
            "/", "(", ")", "\"", "@", " ", " ", " ", "\n", "\r\n", "\t", "阿", "司", "匹", "林", "片", "高", "血", "压", "用",
            "量", "汉", "字", "。", "，", "、", "：", "；", "“", "”", "《", "》", "（", "）", "·", "—", "…", "\u3000",
            "Ａ", "ｓ", "１", "＇", "．", "，", "：", "＿", "％", "the ", "it's ", "3.5", "1,000", "U.S.A", "阿司匹林片",
        ];
        string[] rare = ["あ", "ア", "한", "😀", "\uD800", "々", "\u0301", "\u00AD", "\u9FCD", "ｶ", "①", "\u2028"];
        var random = new Random(20261123);
        var inputs = new List<string>();
        for (var n = 0; n < 4000; n++)
        {
            var text = new StringBuilder();
            var length = random.Next(0, 120);
            var withRare = n % 4 == 0;
            for (var i = 0; i < length; i++)
            {
                text.Append(withRare && random.Next(30) == 0 ? rare[random.Next(rare.Length)] : alphabet[random.Next(alphabet.Length)]);
            }

            if (n % 97 == 0)
            {
                // Around StandardTokenizer's 255-char word limit: the fast path must hand these over.
                text.Append(' ').Append(new string('w', 200 + random.Next(120))).Append(" 阿司匹林 ok");
            }

            inputs.Add(text.ToString());
        }

        // Short strings dense in joiners, where the word-break rules interact most.
        const string joiners = "aS1_.',:;’＇．，：＿阿 ";
        for (var n = 0; n < 4000; n++)
        {
            inputs.Add(new string([.. Enumerable.Range(0, random.Next(1, 16)).Select(_ => joiners[random.Next(joiners.Length)])]));
        }

        var fast = 0;
        var compared = 0;
        foreach (var input in inputs)
        {
            compared += AssertChainsAgree(input, FuzzDictionary, expectFastPath: null, onPath: usedFast => fast += usedFast ? 1 : 0);
        }

        compared += AssertAnalyzersAgree(inputs, FuzzDictionary);
        Report(compared, $"{fast} of {inputs.Count} inputs took the fast path");
        Assert.InRange(fast, inputs.Count / 2, inputs.Count - 500);
        Assert.True(compared > 100_000, $"only {compared} tokens compared");
    }

    [Fact]
    public void Generated_mixed_chinese_and_english_corpus_text_tokenizes_as_the_reference_chain_does()
    {
        var corpus = new SyntheticCorpus(seed: 7);
        var texts = Enumerable.Range(0, 400).Select(_ => corpus.Text(250)).ToList();
        var compared = 0;
        foreach (var text in texts)
        {
            compared += AssertChainsAgree(text, DomainDictionary.BuiltIn, expectFastPath: true);
        }

        compared += AssertAnalyzersAgree(texts, DomainDictionary.BuiltIn);
        Report(compared);
        Assert.True(compared > 100_000, $"only {compared} tokens compared");
    }

    [Fact]
    public void The_repository_samples_tokenize_as_the_reference_chain_does()
    {
        var texts = Directory.EnumerateFiles(Path.Combine(SharedData.RepositoryRoot, "samples"), "*", SearchOption.AllDirectories)
            .Where(p => Path.GetExtension(p) is ".md" or ".jsonl" or ".txt")
            .Select(File.ReadAllText)
            .ToList();
        Assert.NotEmpty(texts);
        AssertAllAgree(texts);
    }

    [Fact]
    public void The_shared_chinese_regulations_tokenize_as_the_reference_chain_does()
    {
        var folder = SharedData.Require("documents/zh-regulations");
        var texts = Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        Assert.NotEmpty(texts);
        AssertAllAgree(texts);
    }

    [Theory]
    [InlineData("datasets/cmrc2018-trial/corpus.jsonl")]
    [InlineData("datasets/tatqa-dev/corpus.jsonl")]
    public void The_shared_dataset_passages_tokenize_as_the_reference_chain_does(string corpus)
    {
        var path = SharedData.Require(corpus);
        var texts = new List<string>();
        var chars = 0L;
        foreach (var line in File.ReadLines(path))
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("text", out var text) && text.GetString() is { } value)
            {
                texts.Add(value);
                chars += value.Length;
            }

            if (chars > 2_000_000)
            {
                break;
            }
        }

        Assert.NotEmpty(texts);
        AssertAllAgree(texts);
    }

    [Fact]
    public void A_long_input_still_buffered_whole_tokenizes_as_the_reference_chain_does_across_its_reader_refills()
    {
        // StandardTokenizer's scanner refills a fixed-size buffer; words straddling the refills must come out whole.
        var corpus = new SyntheticCorpus(seed: 5);
        var text = new StringBuilder();
        while (text.Length < FusedCjkEnglishTokenizer.MaxBufferedChars / 2)
        {
            text.Append(corpus.Text(500)).Append(" U.S.A. 1,000.50 it's x_y ");
        }

        var compared = AssertChainsAgree(text.ToString(), DomainDictionary.BuiltIn, expectFastPath: true);
        Report(compared);
        Assert.True(compared > 100_000, $"only {compared} tokens compared");
    }

    [Fact]
    public void An_input_too_long_to_buffer_streams_through_the_reference_chain_with_the_same_tokens()
    {
        var corpus = new SyntheticCorpus(seed: 3);
        var text = new StringBuilder();
        while (text.Length <= FusedCjkEnglishTokenizer.MaxBufferedChars)
        {
            text.Append(corpus.Text(500));
        }

        var compared = AssertChainsAgree(text.ToString(), DomainDictionary.BuiltIn, expectFastPath: false);
        Report(compared);
        Assert.True(compared > 100_000, $"only {compared} tokens compared");
    }

    [Fact]
    public void A_reused_analyzer_switches_between_the_fast_path_and_the_reference_chain_without_carrying_state()
    {
        string[] texts = ["阿司匹林片 take", "ア阿司匹林片 it's", "", "高血压 3.5mg", "😀", "高", "The U.S.A.", "한국 高血压患者"];
        AssertAnalyzersAgree([.. texts, .. texts.Reverse(), .. texts], FuzzDictionary);
    }

    [Fact]
    public void A_stream_abandoned_half_way_leaves_the_next_one_exact()
    {
        using var reference = new HanlinAnalyzer(FuzzDictionary, fused: false);
        using var fused = new HanlinAnalyzer(FuzzDictionary);
        foreach (var abandoned in new[] { "ア阿司匹林片 it's a long one", "阿司匹林片 it's a long one" })
        {
            using (var stream = fused.GetTokenStream("text", abandoned))
            {
                stream.Reset();
                Assert.True(stream.IncrementToken());
            }

            foreach (var next in new[] { "한국 高血压患者 3.5mg", "高血压患者 3.5mg" })
            {
                AssertSame(Describe(reference.GetTokenStream("text", next), () => { }), Describe(fused.GetTokenStream("text", next), () => { }), next);
            }
        }
    }

    private static void Report(int compared, string note = "") =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{compared} tokens compared {note}");

    private static void AssertAllAgree(IReadOnlyList<string> texts)
    {
        var fast = 0;
        var compared = 0;
        foreach (var text in texts)
        {
            compared += AssertChainsAgree(text, DomainDictionary.BuiltIn, expectFastPath: null, onPath: usedFast => fast += usedFast ? 1 : 0);
        }

        compared += AssertAnalyzersAgree(texts, DomainDictionary.BuiltIn);
        Report(compared, $"{fast} of {texts.Count} texts took the fast path");
    }

    /// <summary>Compares the fused tokenizer with the reference chain on one text; returns the number of tokens compared.</summary>
    private static int AssertChainsAgree(string text, DomainDictionary dictionary, bool? expectFastPath, Action<bool>? onPath = null)
    {
        var reference = HanlinAnalyzer.CreateReferenceChain(new StringReader(text), dictionary).TokenStream;
        using var fused = new FusedCjkEnglishTokenizer(new StringReader(text), dictionary);
        var expected = Describe(reference, () => { });
        var usedFast = false;
        var actual = Describe(fused, () => usedFast = !fused.UsesReferenceChain);
        onPath?.Invoke(usedFast);
        AssertSame(expected, actual, text);
        if (expectFastPath is { } fast)
        {
            Assert.Equal(fast, usedFast);
        }

        return expected.Count;
    }

    /// <summary>Runs every text through one fused and one reference analyzer (reused, as Lucene reuses them); returns tokens compared.</summary>
    private static int AssertAnalyzersAgree(IEnumerable<string> texts, DomainDictionary dictionary)
    {
        using var reference = new HanlinAnalyzer(dictionary, fused: false);
        using var fused = new HanlinAnalyzer(dictionary);
        var compared = 0;
        foreach (var text in texts)
        {
            var expected = Describe(reference.GetTokenStream("text", text), () => { });
            var actual = Describe(fused.GetTokenStream("text", text), () => { });
            AssertSame(expected, actual, text);
            compared += expected.Count;
        }

        return compared;
    }

    private static void AssertSame(List<string> expected, List<string> actual, string text)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"token {i} differs: expected {expected[i]}, got {actual[i]}; text: {Excerpt(text, expected[i])}");
            }
        }

        Assert.True(expected.Count == actual.Count, $"expected {expected.Count} tokens, got {actual.Count}; text: {Excerpt(text, string.Empty)}");
    }

    private static string Excerpt(string text, string token)
    {
        var at = token.IndexOf('@', StringComparison.Ordinal);
        var start = at < 0 ? 0 : int.Parse(token[(at + 1)..token.IndexOf('-', at)], CultureInfo.InvariantCulture);
        var from = Math.Max(0, start - 40);
        return JsonSerializer.Serialize(text.Substring(from, Math.Min(120, text.Length - from)), ReadableJson);
    }

    private static List<string> Describe(TokenStream stream, Action afterReset)
    {
        using (stream)
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            var offset = stream.AddAttribute<IOffsetAttribute>();
            var increment = stream.AddAttribute<IPositionIncrementAttribute>();
            var positionLength = stream.AddAttribute<IPositionLengthAttribute>();
            var type = stream.AddAttribute<ITypeAttribute>();
            var keyword = stream.AddAttribute<IKeywordAttribute>();

            // Attributes no component of the chain sets: they must stay at their defaults on every token.
            var flags = stream.AddAttribute<IFlagsAttribute>();
            var payload = stream.AddAttribute<IPayloadAttribute>();
            stream.Reset();
            afterReset();
            var tokens = new List<string>();
            while (stream.IncrementToken())
            {
                tokens.Add($"{term}@{offset.StartOffset}-{offset.EndOffset}+{increment.PositionIncrement}/{positionLength.PositionLength}:{type.Type}{(keyword.IsKeyword ? "!" : string.Empty)}{(flags.Flags != 0 || payload.Payload is not null ? "?" : string.Empty)}");
            }

            stream.End();
            tokens.Add($"end@{offset.StartOffset}-{offset.EndOffset}+{increment.PositionIncrement}");
            return tokens;
        }
    }
}
