using static TorchSharp.torch;

namespace Hanlin.Training.FineTuning;

/// <summary>A padded batch of encoded examples; owns its tensors.</summary>
/// <remarks>Sequences are padded on the right, so positions of real tokens are the same as unpadded.</remarks>
public sealed class TrainingBatch : IDisposable
{
    /// <summary>Creates a batch from tensors it then owns.</summary>
    public TrainingBatch(Tensor inputIds, Tensor labels, Tensor attentionMask, int labelTokens)
    {
        InputIds = inputIds;
        Labels = labels;
        AttentionMask = attentionMask;
        LabelTokens = labelTokens;
    }

    /// <summary>Token ids, int64 <c>[batch, seq]</c>; padding holds the pad id.</summary>
    public Tensor InputIds { get; }

    /// <summary>Targets aligned with <see cref="InputIds"/>, int64 <c>[batch, seq]</c>; <c>-100</c> where no loss is taken.</summary>
    public Tensor Labels { get; }

    /// <summary>1 for real tokens, 0 for padding, int64 <c>[batch, seq]</c>.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>Number of tokens the loss is taken on (labels other than -100 that have a preceding token).</summary>
    public int LabelTokens { get; }

    /// <summary>Number of sequences.</summary>
    public int Size => (int)InputIds.shape[0];

    /// <inheritdoc/>
    public void Dispose()
    {
        InputIds.Dispose();
        Labels.Dispose();
        AttentionMask.Dispose();
    }
}
