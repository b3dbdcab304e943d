using Hanlin.Models.Tokenization;

namespace Hanlin.Models.Tests.Tokenization;

/// <summary>The reference regexes run on code points; these cases differ from a naive UTF-16 regex.</summary>
public sealed class PreTokenizerPatternsTests
{
    [Theory]
    [InlineData("qwen2", "🦙abc", new[] { "🦙abc" })]
    [InlineData("llama-bpe", "🙂ok 123456", new[] { "🙂ok", " ", "123", "456" })]
    [InlineData("qwen2", "x 𠀀b 12", new[] { "x", " 𠀀b", " ", "1", "2" })]
    [InlineData("gpt-2", "x 𠀀b 🦙🦙!", new[] { "x", " 𠀀b", " 🦙🦙!" })]
    [InlineData("gpt-2", "Hello world", new[] { "Hello", " world" })]
    [InlineData("deepseek-coder", "ab12 cd", new[] { "ab", "1", "2", " cd" })]
    public void Supplementary_plane_characters_split_as_whole_code_points_of_their_category(string pre, string text, string[] expected)
    {
        var splitter = PreTokenizerPatterns.For(pre, "test");
        Assert.Equal(expected, splitter.Split(text).Select(p => text.Substring(p.Offset, p.Length)));
    }
}
