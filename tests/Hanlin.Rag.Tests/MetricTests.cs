using Hanlin.Core.Errors;
using Hanlin.Rag.Evaluation;

namespace Hanlin.Rag.Tests;

/// <summary>Metric values against hand-computed expectations.</summary>
public sealed class MetricTests
{
    private static readonly string[] Ranked = ["a", "b", "c", "d"];
    private static readonly HashSet<string> Gold = ["b", "d", "x"];

    [Fact]
    public void Recall_counts_the_share_of_gold_passages_in_the_top_k()
    {
        Assert.Equal(0, RetrievalMetrics.RecallAt(Ranked, Gold, 1));
        Assert.Equal(1.0 / 3, RetrievalMetrics.RecallAt(Ranked, Gold, 2), 6);
        Assert.Equal(2.0 / 3, RetrievalMetrics.RecallAt(Ranked, Gold, 10), 6);
    }

    [Fact]
    public void Reciprocal_rank_is_one_over_the_rank_of_the_first_gold_passage_within_k()
    {
        Assert.Equal(0.5, RetrievalMetrics.ReciprocalRankAt(Ranked, Gold, 10), 6);
        Assert.Equal(0, RetrievalMetrics.ReciprocalRankAt(Ranked, Gold, 1));
    }

    [Fact]
    public void Ndcg_divides_the_discounted_gain_by_the_ideal_ranking()
    {
        // DCG = 1/log2(3) + 1/log2(5) = 1.061606; ideal with two gold = 1 + 1/log2(3) = 1.630930.
        Assert.Equal(0.650921, RetrievalMetrics.NdcgAt(Ranked, new HashSet<string> { "b", "d" }, 10), 5);
        Assert.Equal(1, RetrievalMetrics.NdcgAt(["b", "d", "a"], new HashSet<string> { "b", "d" }, 10), 6);
    }

    [Fact]
    public void Exact_match_ignores_case_punctuation_and_articles_in_english()
    {
        Assert.Equal(1, AnswerMetrics.ExactMatch("The Vitamin K1!", ["vitamin k1"], "en"));
        Assert.Equal(0, AnswerMetrics.ExactMatch("vitamin K", ["vitamin k1"], "en"));
        Assert.Equal(1, AnswerMetrics.ExactMatch("每周15 mg。", ["每周15mg"], "zh"));
    }

    [Fact]
    public void F1_is_over_words_in_english_and_characters_in_chinese()
    {
        // 3 common of 3 predicted and 4 gold words: P = 1, R = 0.75.
        Assert.Equal(6.0 / 7, AnswerMetrics.F1("vitamin K1 phytomenadione", ["vitamin K1 (phytomenadione) injection", "warfarin"], "en"), 6);

        // 7 common characters of 7 predicted and 9 gold: P = 1, R = 7/9.
        Assert.Equal(0.875, AnswerMetrics.F1("首剂300mg", ["首剂300 mg，嚼碎"], "zh"), 6);
        Assert.Equal(0, AnswerMetrics.F1(string.Empty, ["anything"], "en"));
    }

    [Fact]
    public void Rouge_l_is_the_f_measure_of_the_longest_common_subsequence()
    {
        // [cat sat on mat] vs [cat on mat sat]: LCS = cat on mat (3), P = R = 3/4.
        Assert.Equal(0.75, AnswerMetrics.RougeL("the cat sat on mat", ["a cat on the mat sat"], "en"), 6);

        // 阿司匹林 vs 阿匹司林: LCS 3 of 4 each way.
        Assert.Equal(0.75, AnswerMetrics.RougeL("阿司匹林", ["阿匹司林"], "zh"), 6);
    }

    [Fact]
    public void A_malformed_query_line_is_reported_with_its_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("queries.jsonl", "{\"id\":\"q1\",\"question\":\"x\",\"answers\":[\"y\"],\"gold_passage_ids\":[\"p\"]}\n{not json\n");
        var missing = dir.File("absent.jsonl");

        var bad = Assert.Throws<HanlinException>(() => EvalDataset.LoadQueries(path));
        var absent = Assert.Throws<HanlinException>(() => EvalDataset.LoadCorpus(missing));

        Assert.Equal(ErrorCodes.InvalidArgument, bad.Code);
        Assert.Contains("Line 2", bad.Message, StringComparison.Ordinal);
        Assert.Contains("queries.jsonl", bad.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.FileNotFound, absent.Code);
    }
}
