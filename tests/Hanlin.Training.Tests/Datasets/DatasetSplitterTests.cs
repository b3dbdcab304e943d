using System.Globalization;
using Hanlin.Training.Datasets;

namespace Hanlin.Training.Tests.Datasets;

public sealed class DatasetSplitterTests
{
    private static List<TrainingExample> Examples(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => new TrainingExample(i, [new TrainingMessage(ChatRole.Text, string.Create(CultureInfo.InvariantCulture, $"document number {i}"))]))];

    [Fact]
    public void Adding_examples_never_moves_the_old_ones_to_another_part()
    {
        var old = Examples(0, 300);
        var before = DatasetSplitter.Split(old);
        var after = DatasetSplitter.Split([.. old, .. Examples(300, 300)]);

        var beforeParts = Parts(before);
        var afterParts = Parts(after);
        Assert.All(old, e => Assert.Equal(beforeParts[e.LineNumber], afterParts[e.LineNumber]));
    }

    [Fact]
    public void Parts_follow_the_ratios_and_another_salt_reshuffles()
    {
        var examples = Examples(0, 2000);
        var split = DatasetSplitter.Split(examples, new SplitRatios(8, 1, 1));
        var other = DatasetSplitter.Split(examples, new SplitRatios(8, 1, 1), salt: "another");

        // 2000 fair draws: the binomial standard deviation of the train count is ~18, so ±100 cannot fail by chance.
        Assert.InRange(split.Train.Count, 1500, 1700);
        Assert.InRange(split.Validation.Count, 120, 280);
        Assert.Equal(2000, split.Train.Count + split.Validation.Count + split.Test.Count);
        Assert.NotEqual(split.Validation.Select(e => e.LineNumber), other.Validation.Select(e => e.LineNumber));
    }

    [Fact]
    public void Duplicates_land_in_the_same_part_and_a_zero_ratio_part_stays_empty()
    {
        var examples = Examples(0, 200);
        var split = DatasetSplitter.Split([.. examples, .. examples.Select(e => e with { LineNumber = e.LineNumber + 1000 })], new SplitRatios(0.9, 0.1, 0));

        Assert.Empty(split.Test);
        var parts = Parts(split);
        Assert.All(examples, e => Assert.Equal(parts[e.LineNumber], parts[e.LineNumber + 1000]));
    }

    private static Dictionary<int, DatasetSplit> Parts(SplitResult split) =>
        split.Train.Select(e => (e.LineNumber, DatasetSplit.Train))
            .Concat(split.Validation.Select(e => (e.LineNumber, DatasetSplit.Validation)))
            .Concat(split.Test.Select(e => (e.LineNumber, DatasetSplit.Test)))
            .ToDictionary(p => p.LineNumber, p => p.Item2);
}
