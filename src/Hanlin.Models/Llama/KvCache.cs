using static TorchSharp.torch;

namespace Hanlin.Models.Llama;

/// <summary>
/// Pre-allocated key/value cache for one sequence batch: per layer <c>[batch, kvHeads, maxSeq, headDim]</c>,
/// written in place at each step's positions, so a step costs O(new tokens) copying, never O(context).
/// Owns its tensors; dispose it when the sequences are done.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    internal KvCache(LlamaConfig config, int batchSize, int maxSequenceLength, ScalarType dtype)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSequenceLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSequenceLength, config.MaxSequenceLength);
        BatchSize = batchSize;
        MaxSequenceLength = maxSequenceLength;
        _keys = new Tensor[config.Layers];
        _values = new Tensor[config.Layers];
        for (var layer = 0; layer < config.Layers; layer++)
        {
            // Detached: a caller's dispose scope must not free the cache under the generator.
            _keys[layer] = zeros(batchSize, config.KvHeads, maxSequenceLength, config.HeadDim, dtype).DetachFromDisposeScope();
            _values[layer] = zeros(batchSize, config.KvHeads, maxSequenceLength, config.HeadDim, dtype).DetachFromDisposeScope();
        }
    }

    /// <summary>Sequences held side by side.</summary>
    public int BatchSize { get; }

    /// <summary>Positions each sequence can hold.</summary>
    public int MaxSequenceLength { get; }

    /// <summary>Element type of the keys and values.</summary>
    public ScalarType DType => _keys[0].dtype;

    /// <summary>Bytes held by the cache tensors.</summary>
    public long SizeInBytes => _keys.Sum(t => t.NumberOfElements * t.ElementSize) * 2;

    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values))
        {
            tensor.Dispose();
        }
    }

    /// <summary>Stores <paramref name="keys"/>/<paramref name="values"/> <c>[batch, kvHeads, seq, headDim]</c> at positions start..start+seq-1.</summary>
    internal void Write(int layer, int start, Tensor keys, Tensor values)
    {
        var length = keys.shape[2];
        using var keySlot = _keys[layer].narrow(2, start, length);
        using var valueSlot = _values[layer].narrow(2, start, length);
        keySlot.copy_(keys);
        valueSlot.copy_(values);
    }

    /// <summary>The whole key and value tensors of <paramref name="layer"/>, <c>[batch, kvHeads, maxSeq, headDim]</c>, still owned by the cache.</summary>
    internal (Tensor Keys, Tensor Values) Layer(int layer) => (_keys[layer], _values[layer]);

    /// <summary>Views of positions 0..length-1: <c>[batch, kvHeads, length, headDim]</c>; they die with the caller's dispose scope.</summary>
    internal (Tensor Keys, Tensor Values) Read(int layer, int length) =>
        (_keys[layer].narrow(2, 0, length), _values[layer].narrow(2, 0, length));
}
