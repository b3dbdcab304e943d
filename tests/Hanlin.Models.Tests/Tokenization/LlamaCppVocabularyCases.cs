namespace Hanlin.Models.Tests.Tokenization;

/// <summary>
/// llama.cpp's tokenizer conformance vectors in ../shared/tokenizers: <c>X.gguf.inp</c> holds strings separated by
/// lines <c>__ggml_vocab_test__</c>; line i of <c>X.gguf.out</c> holds the ids of string i, encoded with no BOS and
/// no special-token parsing (test-tokenizer-0: add_special = false, parse_special = false).
/// </summary>
internal static class LlamaCppVocabularyCases
{
    private const string Separator = "\n__ggml_vocab_test__\n";

    public static IReadOnlyList<(string Text, int[] Ids)> Read(string ggufPath)
    {
        var inputs = File.ReadAllText(ggufPath + ".inp").Split(Separator);
        // The file ends with a separator, which leaves one empty string after it.
        var texts = inputs[..^1];
        var lines = File.ReadAllText(ggufPath + ".out").Split('\n');
        Assert.True(lines.Length >= texts.Length, $"{ggufPath}.out has {lines.Length} lines for {texts.Length} strings");
        return [.. texts.Select((text, i) => (text, lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray()))];
    }
}
