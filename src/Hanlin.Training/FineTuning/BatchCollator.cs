using static TorchSharp.torch;

namespace Hanlin.Training.FineTuning;

/// <summary>Orders examples per epoch and pads them into <see cref="TrainingBatch"/>es.</summary>
public static class BatchCollator
{
    /// <summary>
    /// The order of <paramref name="count"/> examples in epoch <paramref name="epoch"/>: a Fisher-Yates shuffle from a
    /// generator seeded by (seed, epoch), so a resumed run sees the same order without saving it.
    /// </summary>
    /// <remarks><see cref="Random(int)"/> with a seed keeps its legacy algorithm across .NET versions by design.</remarks>
    public static int[] EpochOrder(int seed, long epoch, int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked((seed * 1_000_003) + (int)epoch)).Shuffle(order);
        return order;
    }

    /// <summary>Pads <paramref name="examples"/> on the right to the longest one; padded labels are ignored.</summary>
    /// <param name="examples">One or more examples.</param>
    /// <param name="padId">Id written at padded positions (masked out, never learnt).</param>
    public static TrainingBatch Collate(IReadOnlyList<EncodedExample> examples, int padId)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfZero(examples.Count);
        var length = examples.Max(e => e.InputIds.Length);
        var ids = new long[examples.Count * length];
        var labels = new long[ids.Length];
        var mask = new long[ids.Length];
        Array.Fill(ids, padId);
        Array.Fill(labels, EncodedExample.Ignore);
        for (var row = 0; row < examples.Count; row++)
        {
            var example = examples[row];
            for (var t = 0; t < example.InputIds.Length; t++)
            {
                ids[(row * length) + t] = example.InputIds[t];
                labels[(row * length) + t] = example.Labels[t];
                mask[(row * length) + t] = 1;
            }
        }

        long[] shape = [examples.Count, length];
        return new TrainingBatch(tensor(ids, shape), tensor(labels, shape), tensor(mask, shape), examples.Sum(e => e.LabelTokens));
    }
}
