using Hanlin.Training.Evaluation;

namespace Hanlin.Training.Tests.Evaluation;

public sealed class BleuTests
{
    private const string Reference = "the cat sat on the mat";

    [Fact]
    public void An_identical_hypothesis_scores_100()
    {
        var bleu = Bleu.Corpus([Reference], [Reference]);
        Assert.Equal(100, bleu.Score, 9);
    }

    [Fact]
    public void One_substituted_word_gives_the_geometric_mean_of_the_four_precisions()
    {
        // Precisions 5/6, 3/5, 2/4, 1/3; product 1/12; BP 1.
        var bleu = Bleu.Corpus(["the cat sat on a mat"], [Reference]);

        Assert.Equal(100 * Math.Pow(1.0 / 12, 0.25), bleu.Score, 9); // 53.728...
        Assert.Equal([5L, 3, 2, 1], bleu.Matches);
        Assert.Equal([6L, 5, 4, 3], bleu.Totals);
    }

    [Fact]
    public void A_short_hypothesis_pays_the_brevity_penalty()
    {
        // All precisions 1; c = 5, r = 6: BP = exp(1 - 6/5).
        var bleu = Bleu.Corpus(["the cat sat on the"], [Reference]);

        Assert.Equal(Math.Exp(-0.2), bleu.BrevityPenalty, 12);
        Assert.Equal(100 * Math.Exp(-0.2), bleu.Score, 9); // 81.873...
    }

    [Fact]
    public void Exponential_smoothing_halves_each_further_order_without_a_match_and_no_smoothing_gives_zero()
    {
        // 1-grams cat, sat, the: 3/6; 2-grams "cat sat": 1/5; 3-grams 0/4 -> 1/(2*4); 4-grams 0/3 -> 1/(4*3).
        string[] hypothesis = ["a cat sat in the rug"];

        var smoothed = Bleu.Corpus(hypothesis, [Reference]);
        var unsmoothed = Bleu.Corpus(hypothesis, [Reference], new BleuOptions { Smoothing = BleuSmoothing.None });
        var floor = Bleu.Corpus(hypothesis, [Reference], new BleuOptions { Smoothing = BleuSmoothing.Floor });

        Assert.Equal(100 * Math.Pow(1.0 / 2 * 1.0 / 5 * 1.0 / 8 * 1.0 / 12, 0.25), smoothed.Score, 9); // 17.96...
        Assert.Equal([50, 20, 12.5, 100.0 / 12], smoothed.Precisions, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(0, unsmoothed.Score, 12);
        Assert.Equal(100 * Math.Pow(1.0 / 2 * 1.0 / 5 * 0.1 / 4 * 0.1 / 3, 0.25), floor.Score, 9);
    }

    [Fact]
    public void Corpus_bleu_sums_counts_over_sentences_instead_of_averaging_sentence_scores()
    {
        // Matches/totals summed: 9/12, 6/10, 4/8, 3/6.
        var bleu = Bleu.Corpus([Reference, "a cat sat in the rug"], [Reference, Reference]);

        Assert.Equal(100 * Math.Pow(9.0 / 12 * 6.0 / 10 * 4.0 / 8 * 3.0 / 6, 0.25), bleu.Score, 9);
    }

    [Fact]
    public void A_hypothesis_shorter_than_four_tokens_scores_zero_at_corpus_level_as_in_sacrebleu()
    {
        var bleu = Bleu.Corpus(["the cat"], [Reference]);
        Assert.Equal(0, bleu.Score, 12);
    }

    [Theory]
    [InlineData("Hello, world!", "Hello , world !")]
    [InlineData("It costs $3.50, or 3,000 yen.", "It costs $ 3.50 , or 3,000 yen .")]
    [InlineData("don't stop-gap 1990-2000", "don't stop-gap 1990 - 2000")]
    [InlineData("a &amp; b", "a & b")]
    public void The_13a_tokenizer_splits_punctuation_but_not_inside_numbers(string line, string expected) =>
        Assert.Equal(expected, Bleu.TokenizeThirteen(line));

    [Fact]
    public void Chinese_references_are_compared_character_by_character()
    {
        // 今天天气很好 vs 今天天气不错: 1-grams 4/6, 2-grams 3/5, 3-grams 2/4, 4-grams 1/3.
        var bleu = Bleu.Corpus(["今天天气不错"], ["今天天气很好"]);

        Assert.Equal(100 * Math.Pow(4.0 / 6 * 3.0 / 5 * 2.0 / 4 * 1.0 / 3, 0.25), bleu.Score, 9);
    }
}
