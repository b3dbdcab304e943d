using Hanlin.Models.Tokenization;

namespace Hanlin.Models.Tests.Tokenization;

public sealed class TokenizerConformanceTests
{
    public static TheoryData<string> Vocabularies() =>
        ["bert-bge", "deepseek-coder", "deepseek-llm", "gpt-2", "llama-spm", "phi-3", "llama-bpe", "qwen2"];

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void Every_llama_cpp_test_string_encodes_to_the_reference_ids(string vocabulary)
    {
        var gguf = GgufPath(vocabulary);
        var tokenizer = TokenizerLoader.Load(gguf);
        Assert.Equal(46, AssertConforms(tokenizer, LlamaCppVocabularyCases.Read(gguf), vocabulary));
    }

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void Byte_level_and_sentencepiece_ids_decode_back_to_the_exact_text(string vocabulary)
    {
        var gguf = GgufPath(vocabulary);
        var tokenizer = TokenizerLoader.Load(gguf);
        Assert.SkipWhen(tokenizer is WordPieceTextTokenizer, "WordPiece lower-cases, strips accents and drops whitespace, so its text does not round-trip.");
        foreach (var (text, ids) in LlamaCppVocabularyCases.Read(gguf))
        {
            Assert.Equal(text, tokenizer.Decode(ids));
        }
    }

    /// <summary>Checks every case and returns how many passed, failing with the first mismatch spelled out.</summary>
    internal static int AssertConforms(ITextTokenizer tokenizer, IReadOnlyList<(string Text, int[] Ids)> cases, string vocabulary)
    {
        var failures = new List<string>();
        foreach (var (text, expected) in cases)
        {
            var actual = tokenizer.Encode(text, addSpecialTokens: false, parseSpecialTokens: false);
            if (!actual.SequenceEqual(expected))
            {
                var firstDiff = Enumerable.Range(0, Math.Min(actual.Length, expected.Length)).FirstOrDefault(i => actual[i] != expected[i], Math.Min(actual.Length, expected.Length));
                failures.Add($"text {Quote(text)}\n  expected [{string.Join(' ', expected)}]\n  actual   [{string.Join(' ', actual)}]\n  first difference at index {firstDiff}: "
                    + $"expected {(firstDiff < expected.Length ? Quote(tokenizer.IdToToken(expected[firstDiff]) ?? "?") : "end")}, got {(firstDiff < actual.Length ? Quote(tokenizer.IdToToken(actual[firstDiff]) ?? "?") : "end")}");
            }
        }

        Assert.True(failures.Count == 0, $"{vocabulary}: {cases.Count - failures.Count}/{cases.Count} strings match; mismatches (first {Math.Min(5, failures.Count)}):\n{string.Join('\n', failures.Take(5))}");
        return cases.Count;
    }

    private static string GgufPath(string vocabulary)
    {
        var inp = SharedData.Require($"tokenizers/ggml-vocab-{vocabulary}.gguf.inp");
        var gguf = inp[..^4];
        Assert.SkipUnless(File.Exists(gguf), $"ggml-vocab-{vocabulary}.gguf is not in ../shared/tokenizers (over the 4 MiB fetch limit, see its MANIFEST.md); only its .inp/.out are there, and no other source of this vocabulary is available offline.");
        return gguf;
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
