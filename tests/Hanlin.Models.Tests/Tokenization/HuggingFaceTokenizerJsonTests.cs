using System.Text.Json.Nodes;
using Hanlin.Core.Errors;
using Hanlin.Models.Gguf;
using Hanlin.Models.Tokenization;

namespace Hanlin.Models.Tests.Tokenization;

/// <summary>
/// tokenizer.json loading, checked against llama.cpp's vectors: the test writes a tokenizer.json in the form the
/// Hugging Face converters produce from the same vocabulary a shared GGUF holds, so both sources must give the same ids.
/// </summary>
public sealed class HuggingFaceTokenizerJsonTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_gpt2_style_byte_level_tokenizer_json_matches_the_reference_ids()
    {
        var gguf = SharedData.Require("tokenizers/ggml-vocab-gpt-2.gguf");
        using (var file = GgufFile.Open(gguf))
        {
            var tokens = file.GetArray<string>("tokenizer.ggml.tokens")!;
            var types = file.GetArray<int>("tokenizer.ggml.token_type")!;
            WriteJson(new JsonObject
            {
                ["added_tokens"] = AddedTokens(tokens, types),
                ["normalizer"] = null,
                ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
                ["post_processor"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = false, ["use_regex"] = true },
                ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
                ["model"] = new JsonObject
                {
                    ["type"] = "BPE",
                    ["vocab"] = Vocab(tokens),
                    ["merges"] = new JsonArray([.. file.GetArray<string>("tokenizer.ggml.merges")!.Select(m => (JsonNode)new JsonArray([.. m.Split(' ').Select(p => (JsonNode)JsonValue.Create(p))]))]),
                },
            });
        }

        var tokenizer = TokenizerLoader.Load(_temp.Path);
        Assert.IsType<ByteLevelBpeTokenizer>(tokenizer);
        TokenizerConformanceTests.AssertConforms(tokenizer, LlamaCppVocabularyCases.Read(gguf), "gpt-2 (tokenizer.json)");
        Assert.Equal([50256], tokenizer.Encode("<|endoftext|>", addSpecialTokens: false));
        Assert.Contains(50256, tokenizer.StopTokenIds); // found by name: this tokenizer.json names no EOS
        Assert.NotEqual([50256], tokenizer.Encode("<|endoftext|>", addSpecialTokens: false, parseSpecialTokens: false));
    }

    [Fact]
    public void A_llama2_style_byte_fallback_tokenizer_json_matches_the_reference_ids()
    {
        var gguf = SharedData.Require("tokenizers/ggml-vocab-llama-spm.gguf");
        using (var file = GgufFile.Open(gguf))
        {
            var tokens = file.GetArray<string>("tokenizer.ggml.tokens")!;
            var types = file.GetArray<int>("tokenizer.ggml.token_type")!;
            var scores = file.GetArray<float>("tokenizer.ggml.scores")!;
            WriteJson(new JsonObject
            {
                ["added_tokens"] = AddedTokens(tokens, types),
                ["normalizer"] = new JsonObject
                {
                    ["type"] = "Sequence",
                    ["normalizers"] = new JsonArray(
                        new JsonObject { ["type"] = "Prepend", ["prepend"] = "▁" },
                        new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" }),
                },
                ["pre_tokenizer"] = null,
                ["model"] = new JsonObject
                {
                    ["type"] = "BPE",
                    ["unk_token"] = "<unk>",
                    ["byte_fallback"] = true,
                    ["vocab"] = Vocab(tokens),
                    ["merges"] = new JsonArray([.. SentencePieceMerges(tokens, types, scores).Select(m => (JsonNode)JsonValue.Create(m)!)]),
                },
            });
            _temp.Write("tokenizer_config.json", """{"add_bos_token": true, "add_eos_token": false, "bos_token": {"content": "<s>"}, "eos_token": "</s>"}""");
        }

        var tokenizer = TokenizerLoader.Load(Path.Combine(_temp.Path, "tokenizer.json"));
        Assert.IsType<SentencePieceBpeTokenizer>(tokenizer);
        TokenizerConformanceTests.AssertConforms(tokenizer, LlamaCppVocabularyCases.Read(gguf), "llama-spm (tokenizer.json)");
        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal(2, tokenizer.EosTokenId);
        Assert.Equal([1, 15043, 3186], tokenizer.Encode("Hello world"));
    }

    [Fact]
    public void A_bert_wordpiece_tokenizer_json_matches_the_reference_ids_and_adds_cls_and_sep()
    {
        var gguf = SharedData.Require("tokenizers/ggml-vocab-bert-bge.gguf");
        var fromGguf = TokenizerLoader.Load(gguf);
        var tokens = Enumerable.Range(0, fromGguf.VocabularySize).Select(id => fromGguf.IdToToken(id)!).ToArray();
        var special = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        WriteJson(new JsonObject
        {
            ["added_tokens"] = new JsonArray([.. special.Select(s => (JsonNode)new JsonObject { ["id"] = Array.IndexOf(tokens, s), ["content"] = s, ["special"] = true })]),
            ["normalizer"] = new JsonObject { ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true, ["strip_accents"] = null, ["lowercase"] = true },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(
                    new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "[CLS]", ["type_id"] = 0 } },
                    new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } },
                    new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "[SEP]", ["type_id"] = 0 } }),
            },
            ["model"] = new JsonObject { ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100, ["vocab"] = Vocab(tokens) },
        });

        var tokenizer = TokenizerLoader.Load(_temp.Path);
        Assert.IsType<WordPieceTextTokenizer>(tokenizer);
        TokenizerConformanceTests.AssertConforms(tokenizer, LlamaCppVocabularyCases.Read(gguf), "bert-bge (tokenizer.json)");
        Assert.Equal([101, 7592, 2088, 102], tokenizer.Encode("Hello world"));
        Assert.Equal("hello world", tokenizer.Decode(tokenizer.Encode("Hello world"), skipSpecialTokens: true));
    }

    [Fact]
    public void A_qwen2_style_split_sequence_splits_digits_one_by_one_and_keeps_added_tokens_whole()
    {
        // A tiny byte-level vocabulary: the 256 byte characters, two merges and two chat markers.
        var byteChars = Enumerable.Range(0, 256).Select(b => ByteChar((byte)b).ToString()).ToList();
        var pieces = byteChars.Concat(["He", "Hel"]).ToList();
        WriteJson(new JsonObject
        {
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 258, ["content"] = "<|im_start|>", ["special"] = true },
                new JsonObject { ["id"] = 259, ["content"] = "<|im_end|>", ["special"] = true },
                new JsonObject { ["id"] = 260, ["content"] = "<sep>", ["special"] = false, ["lstrip"] = true, ["rstrip"] = true }),
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+" },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = Vocab([.. pieces]),
                ["merges"] = new JsonArray("H e", "He l"),
            },
        });
        _temp.Write("tokenizer_config.json", """{"add_bos_token": false, "eos_token": "<|im_end|>", "bos_token": null}""");

        var tokenizer = TokenizerLoader.Load(_temp.Path);
        var ids = tokenizer.Encode("<|im_start|>Hello 42<|im_end|>");
        // Ids of single byte pieces are their byte values; "Hello" merges to "Hel" + l + o, " 42" splits into " ", "4", "2".
        Assert.Equal([258, 257, 'l', 'o', ' ', '4', '2', 259], ids);
        Assert.Equal(259, tokenizer.EosTokenId);
        Assert.Equal([259], tokenizer.StopTokenIds.Order());
        Assert.Null(tokenizer.BosTokenId);
        Assert.Equal("<|im_start|>Hello 42<|im_end|>", tokenizer.Decode(ids));
        Assert.Equal("Hello 42", tokenizer.Decode(ids, skipSpecialTokens: true));
        // lstrip/rstrip: the added token absorbs the spaces around it; it is matched even when special tokens are not parsed.
        Assert.Equal(['a', 260, 'b'], tokenizer.Encode("a  <sep> b", parseSpecialTokens: false));
    }

    [Fact]
    public void A_unigram_tokenizer_is_reported_as_unsupported()
    {
        WriteJson(new JsonObject { ["model"] = new JsonObject { ["type"] = "Unigram", ["vocab"] = new JsonObject() } });
        var error = Assert.Throws<HanlinException>(() => TokenizerLoader.Load(_temp.Path));
        Assert.Equal(ErrorCodes.UnsupportedModel, error.Code);
        Assert.Contains("Unigram", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_reported_as_corrupt_naming_the_file()
    {
        var path = _temp.Write("tokenizer.json", """{"model": {"type": "BPE", "vocab": [1, 2""");
        var error = Assert.Throws<HanlinException>(() => TokenizerLoader.Load(path));
        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
    }

    private static char ByteChar(byte value)
    {
        // GPT-2 bytes_to_unicode, written out independently of the implementation under test.
        var printable = value is >= (byte)'!' and <= (byte)'~' or >= 0xA1 and <= 0xAC or >= 0xAE;
        if (printable)
        {
            return (char)value;
        }

        var n = 0;
        for (var b = 0; b < value; b++)
        {
            if (!(b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE))
            {
                n++;
            }
        }

        return (char)(256 + n);
    }

    private void WriteJson(JsonObject json) => _temp.Write("tokenizer.json", json.ToJsonString());

    private static JsonObject Vocab(string[] tokens)
    {
        var vocab = new JsonObject();
        for (var id = 0; id < tokens.Length; id++)
        {
            vocab.TryAdd(tokens[id], id);
        }

        return vocab;
    }

    private static JsonArray AddedTokens(string[] tokens, int[] types) =>
        new([.. Enumerable.Range(0, tokens.Length).Where(id => types[id] is 3 or 4)
            .Select(id => (JsonNode)new JsonObject { ["id"] = id, ["content"] = tokens[id], ["special"] = types[id] == 3 })]);

    /// <summary>What transformers' SentencePieceExtractor does: every split of a piece into two pieces is a merge, ordered by the piece's score.</summary>
    private static IEnumerable<string> SentencePieceMerges(string[] tokens, int[] types, float[] scores)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < tokens.Length; id++)
        {
            if (types[id] == 1)
            {
                ids.TryAdd(tokens[id], id);
            }
        }

        return ids.Values.OrderByDescending(id => scores[id]).ThenBy(id => id)
            .SelectMany(id => Enumerable.Range(1, Math.Max(0, tokens[id].Length - 1))
                .Where(i => !char.IsLowSurrogate(tokens[id][i]) && ids.ContainsKey(tokens[id][..i]) && ids.ContainsKey(tokens[id][i..]))
                .Select(i => tokens[id][..i] + " " + tokens[id][i..]));
    }
}
