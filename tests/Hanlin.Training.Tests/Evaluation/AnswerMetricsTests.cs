using Hanlin.Training.Evaluation;

namespace Hanlin.Training.Tests.Evaluation;

public sealed class AnswerMetricsTests
{
    [Theory]
    [InlineData("The Eiffel Tower!", "eiffel tower", 1)]
    [InlineData("an apple", "Apple.", 1)]
    [InlineData("Paris, France", "Paris", 0)]
    [InlineData("北京。", "北京", 1)]
    [InlineData("北京市", "北京", 0)]
    public void Exact_match_compares_normalised_answers(string prediction, string reference, double expected) =>
        Assert.Equal(expected, AnswerMetrics.ExactMatch(prediction, reference));

    [Fact]
    public void English_f1_is_the_squad_bag_of_words_overlap()
    {
        // "cat sat" vs "cat sat down" after article removal: P 1, R 2/3.
        Assert.Equal(0.8, AnswerMetrics.F1("the cat sat", "a cat sat down"), 12);
    }

    [Fact]
    public void Chinese_f1_is_character_level()
    {
        // 北京市 vs 北京: 2 common characters, P 2/3, R 1.
        Assert.Equal(0.8, AnswerMetrics.F1("北京市", "北京"), 12);
    }

    [Fact]
    public void The_best_of_several_references_counts_and_averages_are_means()
    {
        Assert.Equal(1, AnswerMetrics.F1("Ibuprofen", "aspirin", "ibuprofen"));
        var scores = AnswerMetrics.Average(["yes", "no"], ["yes", "maybe"]);
        Assert.Equal(new AnswerScores(0.5, 0.5), scores);
    }

    [Fact]
    public void Squad_normalisation_deletes_punctuation_inside_words_and_articles()
    {
        Assert.Equal(["dont", "stop"], AnswerMetrics.Normalize("Don't stop, the", characterLevel: false));
    }
}
