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

    // Views of one sequence each, made on first use and disposed with the cache; null for a view itself.
    private readonly KvCache?[]? _slots;

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

        _slots = new KvCache?[batchSize];
    }

    // A view of one sequence of a larger cache: it shares the parent's memory, and disposing it frees only the views.
    private KvCache(Tensor[] keys, Tensor[] values, int maxSequenceLength)
    {
        BatchSize = 1;
        MaxSequenceLength = maxSequenceLength;
        _keys = keys;
        _values = values;
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
        foreach (var slot in _slots ?? [])
        {
            slot?.Dispose();
        }

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

    /// <summary>
    /// Sequence <paramref name="index"/> of this cache as a cache of one sequence sharing this one's memory (its tensors are
    /// contiguous views, so every single-sequence path, the C# decoder included, runs on it). Owned by this cache.
    /// </summary>
    internal KvCache Slot(int index)
    {
        if (_slots is null)
        {
            throw new InvalidOperationException("A slot view has no slots of its own.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchSize);
        return _slots[index] ??= new KvCache(
            [.. _keys.Select(k => k.narrow(0, index, 1).DetachFromDisposeScope())],
            [.. _values.Select(v => v.narrow(0, index, 1).DetachFromDisposeScope())],
            MaxSequenceLength);
    }

    /// <summary>
    /// Stores one position per row: row i of <paramref name="keys"/>/<paramref name="values"/> <c>[rows, kvHeads, 1, headDim]</c>
    /// goes to sequence <paramref name="slots"/>[i] at position <paramref name="positions"/>[i] (both int64 <c>[rows]</c>).
    /// </summary>
    internal void WriteRows(int layer, Tensor slots, Tensor positions, Tensor keys, Tensor values)
    {
        // Advanced indices split by a slice put the indexed dimension first: the target is [rows, kvHeads, headDim].
        TensorIndex[] at = [TensorIndex.Tensor(slots), TensorIndex.Colon, TensorIndex.Tensor(positions), TensorIndex.Colon];
        _keys[layer].index_put_(keys.squeeze(2), at);
        _values[layer].index_put_(values.squeeze(2), at);
    }

    /// <summary>
    /// Positions 0..length-1 of sequences <paramref name="slots"/> (int64 <c>[rows]</c>): <c>[rows, kvHeads, length, headDim]</c>,
    /// views when the slots are <paramref name="firstSlot"/> onwards in order, copies otherwise; they die with the caller's scope.
    /// </summary>
    internal (Tensor Keys, Tensor Values) ReadRows(int layer, Tensor slots, int? firstSlot, int length)
    {
        if (firstSlot is { } first)
        {
            var rows = slots.shape[0];
            return (_keys[layer].narrow(0, first, rows).narrow(2, 0, length), _values[layer].narrow(0, first, rows).narrow(2, 0, length));
        }

        return (_keys[layer].index_select(0, slots).narrow(2, 0, length), _values[layer].index_select(0, slots).narrow(2, 0, length));
    }

    /// <summary>Copies positions 0..<paramref name="length"/>-1 of every sequence of <paramref name="source"/> (same batch size, no longer than this).</summary>
    internal void CopyFrom(KvCache source, int length)
    {
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            using var keys = _keys[layer].narrow(2, 0, length);
            using var values = _values[layer].narrow(2, 0, length);
            using var sourceKeys = source._keys[layer].narrow(2, 0, length);
            using var sourceValues = source._values[layer].narrow(2, 0, length);
            keys.copy_(sourceKeys);
            values.copy_(sourceValues);
        }
    }
}
