using Hanlin.Training.Evaluation;

namespace Hanlin.Training.Tests.Evaluation;

public sealed class RougeTests
{
    [Fact]
    public void English_is_scored_on_lower_cased_words()
    {
        // Unigram overlap the×2, cat, on, mat = 5 of 6; bigrams "the cat", "on the", "the mat" = 3 of 5; LCS 5.
        var scores = Rouge.Score("The cat lay on the mat.", "the cat sat on the mat");

        Assert.Equal(5.0 / 6, scores.Rouge1, 12);
        Assert.Equal(3.0 / 5, scores.Rouge2, 12);
        Assert.Equal(5.0 / 6, scores.RougeL, 12);
    }

    [Fact]
    public void Chinese_is_scored_on_characters()
    {
        // 今天天气不错 vs 今天天气很好: 4 of 6 characters, 3 of 5 bigrams, LCS 今天天气.
        var scores = Rouge.Score("今天天气不错。", "今天天气很好");

        Assert.Equal(4.0 / 6, scores.Rouge1, 12);
        Assert.Equal(3.0 / 5, scores.Rouge2, 12);
        Assert.Equal(4.0 / 6, scores.RougeL, 12);
    }

    [Fact]
    public void Precision_and_recall_differ_when_lengths_differ_and_rouge_l_respects_order()
    {
        // Prediction "b a" vs reference "a b c": unigram P 2/2, R 2/3 -> F1 0.8; LCS 1 -> P 1/2, R 1/3 -> F1 0.4.
        var scores = Rouge.Score("b a", "a b c");

        Assert.Equal(0.8, scores.Rouge1, 12);
        Assert.Equal(0, scores.Rouge2, 12);
        Assert.Equal(0.4, scores.RougeL, 12);
    }

    [Fact]
    public void Averages_are_the_mean_of_pair_scores()
    {
        var average = Rouge.Average(["a b", "x"], ["a b", "y"]);
        Assert.Equal(0.5, average.Rouge1, 12);
    }
}
