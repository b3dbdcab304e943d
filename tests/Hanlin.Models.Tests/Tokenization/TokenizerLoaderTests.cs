using Hanlin.Core.Errors;
using Hanlin.Models.Gguf;
using Hanlin.Models.Tests.Gguf;
using Hanlin.Models.Tokenization;

namespace Hanlin.Models.Tests.Tokenization;

public sealed class TokenizerLoaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_llama2c_tokenizer_file_loads_as_the_llama2c_tokenizer()
    {
        var tokenizer = TokenizerLoader.Load(Stories260K.Tokenizer);
        var llama2c = Assert.IsType<Llama2cTokenizer>(tokenizer);
        Assert.Equal(512, tokenizer.VocabularySize);
        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal([.. llama2c.Encode("Once upon a time")], tokenizer.Encode("Once upon a time"));
        Assert.Equal([.. llama2c.Encode("Once upon a time", addBos: false)], tokenizer.Encode("Once upon a time", addSpecialTokens: false));
        var id = tokenizer.Encode("Once", addSpecialTokens: false)[^1];
        Assert.Equal(id, tokenizer.TokenToId(tokenizer.IdToToken(id)!));
    }

    [Fact]
    public void Sentencepiece_vocabularies_add_bos_and_parse_control_tokens_only_when_asked()
    {
        var tokenizer = TokenizerLoader.Load(SharedData.Require("tokenizers/ggml-vocab-llama-spm.gguf"));
        Assert.Equal(32000, tokenizer.VocabularySize);
        Assert.Equal([1, 15043, 3186], tokenizer.Encode("Hello world"));
        Assert.Equal([1, 15043, 3186, 2, 1, 15043], tokenizer.Encode("Hello world</s><s>Hello"));
        Assert.DoesNotContain(2, tokenizer.Encode("Hello world</s>", parseSpecialTokens: false));
        Assert.Equal("Hello world</s>", tokenizer.Decode([1, 15043, 3186, 2], skipSpecialTokens: true) + "</s>");
        Assert.Equal("<s>Hello world", tokenizer.Decode([1, 15043, 3186]));
        Assert.Equal("▁Hello", tokenizer.IdToToken(15043));
        Assert.Equal(15043, tokenizer.TokenToId("▁Hello"));
        Assert.Contains(1, tokenizer.SpecialTokenIds);
        Assert.Equal([2], tokenizer.StopTokenIds);
    }

    [Fact]
    public void Byte_level_vocabularies_keep_added_tokens_whole_and_stream_decoded_text()
    {
        var tokenizer = TokenizerLoader.Load(SharedData.Require("tokenizers/ggml-vocab-deepseek-coder.gguf"));
        var bos = tokenizer.BosTokenId!.Value;
        var text = "def f(x):\n    return '翰林' + x  # 🦙";
        var ids = tokenizer.Encode(text);
        Assert.Equal(bos, ids[0]);
        Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: true));

        var decoder = new StreamingTextDecoder(tokenizer);
        var streamed = string.Concat(ids.Select(decoder.Append)) + decoder.Flush();
        Assert.Equal(text, streamed);
        Assert.DoesNotContain('\uFFFD', streamed);
    }

    [Fact]
    public void Wordpiece_vocabularies_wrap_text_in_cls_and_sep()
    {
        var tokenizer = TokenizerLoader.Load(SharedData.Require("tokenizers/ggml-vocab-bert-bge.gguf"));
        var ids = tokenizer.Encode("Hello World");
        Assert.Equal([101, 7592, 2088, 102], ids);
        Assert.Equal("[CLS] hello world [SEP]", tokenizer.Decode(ids));
        Assert.Equal("hello world", tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void End_of_turn_ids_in_gguf_metadata_stop_generation_besides_eos()
    {
        var path = new GgufWriter()
            .Add("tokenizer.ggml.model", GgufValueType.String, "gpt2")
            .Add("tokenizer.ggml.pre", GgufValueType.String, "qwen2")
            .AddArray("tokenizer.ggml.tokens", GgufValueType.String, new[] { "a", "b", "ab", "<|im_end|>", "<|endoftext|>", "<|eot|>" })
            .AddArray("tokenizer.ggml.token_type", GgufValueType.Int32, new object[] { 1, 1, 1, 3, 3, 3 })
            .AddArray("tokenizer.ggml.merges", GgufValueType.String, new[] { "a b" })
            .Add("tokenizer.ggml.eos_token_id", GgufValueType.UInt32, 4u)
            .Add("tokenizer.ggml.eot_token_id", GgufValueType.UInt32, 5u)
            .WriteTo(_temp.File("chat.gguf"));

        var tokenizer = TokenizerLoader.Load(path);
        Assert.Equal([3, 4, 5], tokenizer.StopTokenIds.Order());
        Assert.Equal([2, 3, 0], tokenizer.Encode("ab<|im_end|>a"));
    }

    [Fact]
    public void A_bert_vocab_txt_directory_loads_as_the_same_wordpiece_tokenizer()
    {
        var gguf = SharedData.Require("tokenizers/ggml-vocab-bert-bge.gguf");
        var fromGguf = TokenizerLoader.Load(gguf);
        _temp.Write("bge/vocab.txt", string.Join('\n', Enumerable.Range(0, fromGguf.VocabularySize).Select(id => fromGguf.IdToToken(id))) + "\n");
        _temp.Write("bge/tokenizer_config.json", """{"do_lower_case": true}""");

        var tokenizer = TokenizerLoader.Load(Path.Combine(_temp.Path, "bge"));
        Assert.IsType<WordPieceTextTokenizer>(tokenizer);
        Assert.Equal(30522, tokenizer.VocabularySize);
        Assert.Equal([101, 7592, 2088, 102], tokenizer.Encode("Hello World"));
        TokenizerConformanceTests.AssertConforms(tokenizer, LlamaCppVocabularyCases.Read(gguf), "bert-bge (vocab.txt)");
    }

    [Fact]
    public void A_missing_path_is_reported_as_not_found()
    {
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<HanlinException>(() => TokenizerLoader.Load(_temp.File("nope.gguf"))).Code);
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<HanlinException>(() => TokenizerLoader.Load(_temp.Path)).Code);
    }

    [Fact]
    public void A_gguf_without_tokenizer_metadata_is_reported_as_unsupported()
    {
        var path = new GgufWriter().Add("general.architecture", GgufValueType.String, "llama").WriteTo(_temp.File("weights.gguf"));
        var error = Assert.Throws<HanlinException>(() => TokenizerLoader.Load(path));
        Assert.Equal(ErrorCodes.UnsupportedModel, error.Code);
        Assert.Contains("tokenizer.ggml.model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_pre_tokenizer_is_reported_as_unsupported_rather_than_guessed()
    {
        var path = new GgufWriter()
            .Add("tokenizer.ggml.model", GgufValueType.String, "gpt2")
            .Add("tokenizer.ggml.pre", GgufValueType.String, "brand-new-pre")
            .AddArray("tokenizer.ggml.tokens", GgufValueType.String, new[] { "a", "b", "ab" })
            .AddArray("tokenizer.ggml.merges", GgufValueType.String, new[] { "a b" })
            .WriteTo(_temp.File("vocab.gguf"));
        var error = Assert.Throws<HanlinException>(() => TokenizerLoader.Load(path));
        Assert.Equal(ErrorCodes.UnsupportedModel, error.Code);
        Assert.Contains("brand-new-pre", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_metadata_that_disagrees_in_length_is_reported_as_corrupt()
    {
        var path = new GgufWriter()
            .Add("tokenizer.ggml.model", GgufValueType.String, "llama")
            .AddArray("tokenizer.ggml.tokens", GgufValueType.String, new[] { "<unk>", "<s>", "</s>" })
            .AddArray("tokenizer.ggml.scores", GgufValueType.Float32, new object[] { 0f, 0f })
            .WriteTo(_temp.File("vocab.gguf"));
        Assert.Equal(ErrorCodes.CorruptFile, Assert.Throws<HanlinException>(() => TokenizerLoader.Load(path)).Code);
    }
}
