using Hanlin.Training.FineTuning;
using static TorchSharp.torch;

namespace Hanlin.Training.Tests.FineTuning;

public sealed class BatchCollatorTests
{
    [Fact]
    public void Sequences_are_padded_on_the_right_with_a_mask_and_ignored_labels()
    {
        using var batch = BatchCollator.Collate([new EncodedExample([1, 2, 3], [-100, 2, 3]), new EncodedExample([4], [4])], padId: 9);

        Assert.Equal([2L, 3L], batch.InputIds.shape);
        Assert.Equal([1L, 2, 3, 4, 9, 9], batch.InputIds.data<long>().ToArray());
        Assert.Equal([-100L, 2, 3, 4, -100, -100], batch.Labels.data<long>().ToArray());
        Assert.Equal([1L, 1, 1, 1, 0, 0], batch.AttentionMask.data<long>().ToArray());
        Assert.Equal(2, batch.LabelTokens); // the second sequence's only token has nothing before it to be predicted from
        Assert.Equal(ScalarType.Int64, batch.InputIds.dtype);
    }

    [Fact]
    public void The_epoch_order_is_a_permutation_fixed_by_seed_and_epoch()
    {
        var first = BatchCollator.EpochOrder(seed: 5, epoch: 0, count: 50);

        Assert.Equal(first, BatchCollator.EpochOrder(5, 0, 50));
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.NotEqual(first, BatchCollator.EpochOrder(5, 1, 50));
        Assert.NotEqual(first, BatchCollator.EpochOrder(6, 0, 50));
    }
}
