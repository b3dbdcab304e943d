using Hanlin.Training.Datasets;

namespace Hanlin.Training.Tests.Datasets;

public sealed class TokenStatisticsTests
{
    [Fact]
    public void Mean_median_nearest_rank_p95_and_extremes_are_computed_by_hand()
    {
        // Sorted 1..20: mean 10.5, median (10+11)/2, p95 = the 19th value (ceil(0.95*20) = 19).
        var stats = TokenStatistics.FromCounts([.. Enumerable.Range(1, 20).Reverse()]);

        Assert.Equal(new TokenStatistics(20, 210, 10.5, 10.5, 19, 1, 20), stats);
    }

    [Fact]
    public void Token_counts_sum_over_the_turns_of_an_example_with_cl100k_by_default()
    {
        TrainingExample[] examples =
        [
            new(1, [new TrainingMessage(ChatRole.User, "hello"), new TrainingMessage(ChatRole.Assistant, "hello world")]),
            new(2, [new TrainingMessage(ChatRole.Text, "hello")]),
        ];

        var stats = TokenStatistics.Compute(examples);

        // cl100k_base: "hello" is 1 token, "hello world" is 2.
        Assert.Equal(4, stats.TotalTokens);
        Assert.Equal(3, stats.Max);
        Assert.Equal(1, stats.Min);
        Assert.Equal(2, stats.Median);
    }
}
