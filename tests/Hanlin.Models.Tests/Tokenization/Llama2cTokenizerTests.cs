using Hanlin.Core.Errors;
using Hanlin.Models.Tokenization;

namespace Hanlin.Models.Tests.Tokenization;

public sealed class Llama2cTokenizerTests
{
    [Fact]
    public void Every_reference_text_encodes_to_the_ids_llama2c_produces()
    {
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer);
        var cases = Stories260K.References().GetProperty("tokenizer_encode_cases").EnumerateArray().ToList();
        Assert.Equal(6, cases.Count);
        foreach (var testCase in cases)
        {
            var text = testCase.GetProperty("text").GetString()!;
            var expected = Stories260K.Ints(testCase.GetProperty("ids_with_bos"));
            Assert.Equal(expected, tokenizer.Encode(text));
        }
    }

    [Fact]
    public void Every_generation_prompt_encodes_to_its_reference_ids()
    {
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer);
        foreach (var testCase in Stories260K.References().GetProperty("generation_cases").EnumerateArray())
        {
            Assert.Equal(Stories260K.Ints(testCase.GetProperty("prompt_token_ids_with_bos")), tokenizer.Encode(testCase.GetProperty("prompt").GetString()!));
        }
    }

    [Theory]
    [InlineData("Once upon a time")]
    [InlineData("café ☕ 你好")]
    [InlineData("Line one.\nLine two!")]
    public void Decoding_the_encoded_text_gives_it_back_after_the_dummy_prefix_space(string text)
    {
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer);
        var ids = tokenizer.Encode(text, addBos: false);
        Assert.Equal(" " + text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Empty_text_encodes_to_bos_alone_and_eos_is_appended_on_request()
    {
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer);
        Assert.Equal([1], tokenizer.Encode(string.Empty));
        Assert.Equal([1, 2], tokenizer.Encode(string.Empty, addEos: true));
        Assert.Equal(512, tokenizer.VocabSize);
    }

    [Fact]
    public void Byte_fallback_tokens_decode_to_their_byte()
    {
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer);
        Assert.Equal(new byte[] { 0x0A }, tokenizer.DecodeBytes(13).ToArray());
        Assert.Equal(new byte[] { 0xFF }, tokenizer.DecodeBytes(258).ToArray());
    }

    [Fact]
    public void A_missing_tokenizer_file_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        var ex = Assert.Throws<HanlinException>(() => Llama2cTokenizer.Load(temp.File("nope.bin")));
        Assert.Equal(ErrorCodes.FileNotFound, ex.Code);
        Assert.Contains("nope.bin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_tokenizer_file_is_reported_as_corrupt_naming_the_file()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Stories260K.Tokenizer);
        var path = temp.Write("tok-truncated.bin", bytes[..(bytes.Length / 2)]);

        var ex = Assert.Throws<HanlinException>(() => Llama2cTokenizer.Load(path, vocabSize: 512));

        Assert.Equal(ErrorCodes.CorruptFile, ex.Code);
        Assert.Contains("tok-truncated.bin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Streamed_text_concatenates_to_the_full_decode_and_holds_back_split_characters()
    {
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer);
        var ids = tokenizer.Encode("a ☕ b 你好", addBos: false);
        var decoder = new StreamingTextDecoder(tokenizer);

        var parts = ids.Select(decoder.Append).ToList();
        parts.Add(decoder.Flush());

        Assert.Equal(tokenizer.Decode(ids), string.Concat(parts));
        Assert.DoesNotContain(parts, p => p.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.Contains(string.Empty, parts); // the first bytes of ☕ complete nothing on their own
    }

    [Fact]
    public void A_long_text_is_merged_into_few_tokens_and_round_trips()
    {
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer);
        var text = string.Concat(Enumerable.Repeat("Lily and Ben went to the park. They saw a big red ball! ", 150));

        var ids = tokenizer.Encode(text, addBos: false);

        Assert.Equal(" " + text, tokenizer.Decode(ids));
        Assert.True(ids.Count < text.Length / 2, $"{ids.Count} tokens for {text.Length} characters: merges did not happen");
    }
}
