using System.Text;
using Hanlin.Ingestion.Chunking;
using Microsoft.ML.Tokenizers;

namespace Hanlin.Ingestion.Tests.Chunking;

/// <summary>
/// <see cref="TokenCounter"/> splits text itself and caches piece counts; these tests hold it to the
/// library's own <see cref="TiktokenTokenizer"/> count on every kind of text the splitter treats differently.
/// </summary>
public sealed class TokenCounterExactnessTests
{
    // A new library instance per count: an instance that has counted ~100k characters of varied text stops
    // recognising special tokens (Microsoft.ML.Tokenizers 2.0.1); a new one costs microseconds.
    private static TiktokenTokenizer Reference => TiktokenTokenizer.CreateForEncoding("cl100k_base");

    // Fragments the random texts are built from: one per character class and splitting rule.
    private static readonly string[] Fragments =
    [
        "a", "Z", "word", " the", "Hello", "ſ", "é", "e\u0301", "ß", "Ω", "Привет", "١٢٣", "Ⅻ", "²", "½",
        "患", "者", "剂量", "，", "。", "、", "「", "」", "ｶﾀｶﾅ", "ひらがな", "한국어", "ＡＢＣ", "１２３",
        "0", "7", "42", "123", "4567", "3.14",
        " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", " \n ", "\u00A0", "\u3000", "\u0085", "\u2028", "\v", "\f",
        "'", "'s", "'S", "'ll", "'LL", "'ve", "'re", "'d", "'m", "'t", "'x", "’s",
        ".", ",", "!", "?", "...", "!!", "--", "(", ")", "{", "}", "[", "]", "<", ">", "|", "<|", "|>", "_", "#", "@", "$", "%",
        "😀", "👍🏽", "👨\u200D👩\u200D👧", "\u200B", "\uFEFF", "𠀀", "\uD800", "\uDC00", "\u0000", "\u0007", "\u007F",
        "<|endoftext|>", "<|fim_prefix|>",
    ];

    private static TokenCounter Counter => TokenCounter.Default;

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("The patient should take one tablet twice daily with water after meals.")]
    [InlineData("患者应在医生指导下服用本品，每日两次，饭后温水送服。")]
    [InlineData("华法林（warfarin）5mg 每日一次；INR 目标 2.0-3.0。Monitor INR weekly.")]
    [InlineData("1234567890 12 345 6789 3.14159 1,000,000 2026-11-23 10:45:00")]
    [InlineData("!!! ??? ... ,,, ;;; --- *** ((( ))) \"quoted\" 'single' `code`")]
    [InlineData("a  b\t\tc\n\n\nd \n e   \r\n f    ")]
    [InlineData("   ")]
    [InlineData("\n")]
    [InlineData(" \n\n ")]
    [InlineData("trailing spaces   ")]
    [InlineData("it's I'll we've they're she'd I'm don't IT'S WE'VE 'S 'sam 'llama 're'")]
    [InlineData("emoji 😀😀😀 and 👍🏽 family 👨‍👩‍👧 rare 𠀀𠀁𠀂 characters")]
    [InlineData("for (int i = 0; i < n; i++) {\n\tx += y[i] * 2;\n}\nreturn x; // done\n")]
    [InlineData("<|endoftext|> hello <|fim_prefix|>x<|fim_suffix|>")]
    [InlineData("<| not a special token |>")]
    [InlineData("!<|endoftext|>'s <|<|fim_middle|>|> 中<|endofprompt|>文 <|fim_suffix|><|endoftext|>\n<|im_start|>")]
    [InlineData("ＡＢＣ１２３ ｶﾀｶﾅ ١٢٣ Ⅻ ² ½ a\u00A0b c\u3000d e\u0085f")]
    [InlineData("café cafe\u0301 naïve Straße ſtatus")]
    [InlineData("| 药品 | 剂量 |\n|---|---|\n| 阿司匹林 | 100 mg |\n")]
    [InlineData("================================================================ ---------------------------------------- x")]
    [InlineData("                                        indented                                                        x")]
    [InlineData("第一条为了保障参保人员合法权益规范医疗保障基金使用和管理提高医疗保障治理能力推动医疗保障事业高质量发展根据有关法律行政法规结合本市实际制定本条例")]
    [InlineData("internationalization_and_localization_frameworks supercalifragilisticexpialidocious Pneumonoultramicroscopicsilicovolcanoconiosis")]
    public void Counts_equal_the_library_tokenizer_on_every_kind_of_text(string text)
    {
        Assert.Equal(Reference.CountTokens(text), Counter.Count(text));
    }

    [Fact]
    public void Counts_equal_the_library_tokenizer_on_random_texts_of_every_character_class()
    {
        var random = new Random(20261123);
        var text = new StringBuilder();
        for (var i = 0; i < 4000; i++)
        {
            text.Clear();
            var fragments = random.Next(1, 40);
            for (var f = 0; f < fragments; f++)
            {
                text.Append(Fragments[random.Next(Fragments.Length)]);
            }

            var sample = text.ToString();
            Assert.True(Reference.CountTokens(sample) == Counter.Count(sample), $"count differs for \"{Escape(sample)}\"");
        }
    }

    [Fact]
    public void Counts_equal_the_library_tokenizer_on_every_sample_document()
    {
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples");
        var files = Directory.EnumerateFiles(samples, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".md" or ".jsonl" or ".txt")
            .ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            AssertExactOnWholeTextAndLines(File.ReadAllText(file), file);
        }
    }

    [Fact]
    public void Counts_equal_the_library_tokenizer_on_the_shared_documents()
    {
        var documents = SharedData.Require("documents");
        var files = Directory.EnumerateFiles(documents, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".md" or ".txt" or ".csv" or ".html" or ".json")
            .Where(f => new FileInfo(f).Length <= 4 << 20)
            .ToList();
        Assert.SkipWhen(files.Count == 0, "no text documents under shared/documents");
        foreach (var file in files)
        {
            AssertExactOnWholeTextAndLines(File.ReadAllText(file), file);
        }
    }

    [Fact]
    public void Counts_equal_the_library_tokenizer_on_text_built_from_multi_character_vocabulary_tokens()
    {
        // The counter cuts non-ASCII pieces where it proves no merge can cross. Texts made of the vocabulary's
        // own multi-character tokens (Chinese words, Japanese, Korean, Cyrillic, accented Latin...) and of
        // their characters reshuffled put a mergeable boundary next to nearly every cut it considers.
        var tokens = VocabularyTexts()
            .Where(t => t.Length >= 2 && !t.Contains('\uFFFD', StringComparison.Ordinal) && !Ascii.IsValid(t))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.True(tokens.Length > 1000, $"only {tokens.Length} multi-character non-ASCII tokens in the vocabulary");
        var characters = string.Concat(tokens).Distinct().Where(c => !char.IsSurrogate(c)).ToArray();
        var random = new Random(20261124);
        var text = new StringBuilder();
        for (var i = 0; i < 8_000; i++)
        {
            text.Clear();
            var parts = random.Next(1, 12);
            for (var p = 0; p < parts; p++)
            {
                switch (random.Next(4))
                {
                    case 0:
                        text.Append(characters[random.Next(characters.Length)]);
                        break;
                    case 1:
                        text.Append(Fragments[random.Next(Fragments.Length)]);
                        break;
                    default:
                        text.Append(tokens[random.Next(tokens.Length)]);
                        break;
                }
            }

            var sample = text.ToString();
            Assert.True(Reference.CountTokens(sample) == Counter.Count(sample), $"count differs for \"{Escape(sample)}\"");
        }
    }

    [Fact]
    public void Counts_equal_the_library_tokenizer_on_the_chinese_and_english_datasets()
    {
        var datasets = SharedData.Require("datasets");
        var corpora = Directory.EnumerateFiles(datasets, "corpus.jsonl", SearchOption.AllDirectories).ToList();
        Assert.SkipWhen(corpora.Count == 0, "no corpus.jsonl under shared/datasets");
        var counter = new TokenCounter();
        foreach (var corpus in corpora)
        {
            foreach (var line in File.ReadLines(corpus).Take(2_000))
            {
                var text = System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("text").GetString() ?? string.Empty;
                Assert.True(Reference.CountTokens(text) == counter.Count(text), $"count differs for a passage of {corpus}: \"{Escape(text[..Math.Min(text.Length, 200)])}\"");
            }
        }

        // A library instance that had counted all that would no longer see these as special tokens.
        const string special = "Élož品 zdję<|endoftext|>word<|fim_prefix|>";
        Assert.Equal(Reference.CountTokens(special), counter.Count(special));
    }

    [Fact]
    public void A_full_piece_cache_is_emptied_and_counts_stay_exact()
    {
        // Far more distinct short pieces than the cache holds, then pieces counted before the reset again.
        var counter = new TokenCounter();
        var text = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            text.Append(" w").Append(i.ToString("x5", System.Globalization.CultureInfo.InvariantCulture).Replace('0', 'q'));
        }

        var all = text.ToString();
        Assert.Equal(Reference.CountTokens(all), counter.Count(all));
        Assert.Equal(Reference.CountTokens(all), counter.Count(all));
    }

    // The vocabulary's tokens that are whole UTF-8 text.
    private static IEnumerable<string> VocabularyTexts()
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var texts = new List<string>();
        foreach (var (bytes, _) in Cl100kBytePairCounter.ReadEmbeddedVocabulary())
        {
            try
            {
                texts.Add(strict.GetString(bytes));
            }
            catch (DecoderFallbackException)
            {
                // Part of a character: not text on its own.
            }
        }

        return texts;
    }

    private static void AssertExactOnWholeTextAndLines(string content, string file)
    {
        Assert.True(Reference.CountTokens(content) == Counter.Count(content), $"count differs for {Path.GetFileName(file)}");
        foreach (var line in content.Split('\n'))
        {
            Assert.True(Reference.CountTokens(line) == Counter.Count(line), $"count differs for a line of {Path.GetFileName(file)}: \"{Escape(line)}\"");
        }
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in text)
        {
            escaped.Append(c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return escaped.ToString();
    }
}
