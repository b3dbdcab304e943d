using Hanlin.Ingestion.Chunking;

namespace Hanlin.Ingestion.Tests.Chunking;

public sealed class TokenCounterTests
{
    private static readonly TokenCounter Counter = TokenCounter.Default;

    [Theory]
    [InlineData("hello world", 2)]
    [InlineData("tiktoken is great!", 6)]
    [InlineData("", 0)]
    public void Counts_cl100k_tokens_from_the_embedded_vocabulary(string text, int expected)
    {
        Assert.Equal(expected, Counter.Count(text));
    }

    [Fact]
    public void Chinese_text_counts_more_than_zero_and_less_than_three_tokens_per_character()
    {
        const string text = "患者应在医生指导下服用本品，每日两次。";
        var count = Counter.Count(text);
        Assert.InRange(count, text.Length / 2, text.Length * 3);
    }

    [Theory]
    [InlineData("The patient should take one tablet twice daily with water after meals.", 5)]
    [InlineData("患者应在医生指导下服用本品，每日两次，饭后温水送服。", 7)]
    [InlineData("emoji 😀😀😀 and rare 𠀀𠀁𠀂 characters", 4)]
    public void A_prefix_within_a_token_budget_holds_at_most_that_many_tokens_and_cuts_no_character(string text, int budget)
    {
        var length = Counter.PrefixLengthWithin(text, budget, out var tokens);

        Assert.InRange(length, 1, text.Length - 1);
        Assert.False(char.IsLowSurrogate(text[length]) && char.IsHighSurrogate(text[length - 1]), "the prefix ends inside a surrogate pair");
        Assert.True(tokens <= budget);
        Assert.Equal(Counter.Count(text.AsSpan(0, length)), tokens);
    }

    [Fact]
    public void Counting_from_many_threads_gives_the_same_counts_as_one_thread()
    {
        var texts = Enumerable.Range(0, 400).Select(i => $"Sentence {i} about 剂量 {i * 7} mg and 第{i}页 of the leaflet.").ToArray();
        var sequential = texts.Select(Counter.Count).ToArray();
        var parallel = new int[texts.Length];

        Parallel.For(0, texts.Length, i => parallel[i] = Counter.Count(texts[i]));

        Assert.Equal(sequential, parallel);
    }
}
