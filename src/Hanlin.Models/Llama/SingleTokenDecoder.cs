using System.Numerics.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Hanlin.Models.Llama;

/// <summary>
/// One decoded token of one sequence through the whole decoder in C#, with no TorchSharp op until the logits
/// tensor. Hand-written because decode is bound by streaming the weights, and the TorchSharp path spends
/// about 2,000 small ops per token (~5 µs each: a P/Invoke, a tensor object, bf16↔fp32 conversions) on top
/// of the weight traffic, which costs a 0.4B model a third of its decode speed in bf16. Activations stay fp32;
/// weights and the KV cache are read in the model's dtype (fp32 or bf16) and keys/values are stored in it.
/// The projections sharing an input (q/k/v, gate/up) run in one fork/join over the cores.
/// Not thread-safe: owned by one <see cref="LlamaModel"/>, which runs one forward at a time.
/// </summary>
internal sealed unsafe class SingleTokenDecoder
{
    // Below this many multiply-adds a fork/join costs more than it saves (a 128 x 896 bf16 matrix is ~8 µs).
    private const long ParallelMultiplyAdds = 1 << 18;

    private readonly LlamaConfig _config;
    private readonly LlamaWeights _weights; // keeps the tensors behind the addresses below alive
    private readonly RotaryEmbedding _rope;
    private readonly bool _bf16;
    private readonly int _parts = Math.Clamp(Environment.ProcessorCount, 1, 8);
    private readonly Layer[] _layers;
    private readonly float[] _finalNorm;
    private readonly Projection[] _classifier;

    // Pinned scratch (the pinned object heap never moves them, so their addresses can cross threads).
    private readonly float[] _x, _h, _q, _k, _v, _attention, _gate, _up, _scores;

    private SingleTokenDecoder(LlamaConfig config, LlamaWeights weights, RotaryEmbedding rope)
    {
        _config = config;
        _weights = weights;
        _rope = rope;
        _bf16 = weights.TokenEmbedding.dtype == ScalarType.BFloat16;
        _x = Scratch(config.Dim);
        _h = Scratch(Math.Max(config.Dim, config.HiddenDim));
        _q = Scratch(config.Dim);
        _k = Scratch(config.KvDim);
        _v = Scratch(config.KvDim);
        _attention = Scratch(config.Dim);
        _gate = Scratch(config.HiddenDim);
        _up = Scratch(config.HiddenDim);
        _scores = Scratch(config.Heads * config.MaxSequenceLength);
        _layers = weights.Layers.Select(l => new Layer(
            Floats(l.AttentionNorm),
            [new(Address(l.Wq), Address(_q), config.Dim), new(Address(l.Wk), Address(_k), config.KvDim), new(Address(l.Wv), Address(_v), config.KvDim)],
            l.Bq is null ? null : Floats(l.Bq), l.Bk is null ? null : Floats(l.Bk), l.Bv is null ? null : Floats(l.Bv),
            [new(Address(l.Wo), Address(_h), config.Dim)],
            Floats(l.FfnNorm),
            [new(Address(l.W1), Address(_gate), config.HiddenDim), new(Address(l.W3), Address(_up), config.HiddenDim)],
            [new(Address(l.W2), Address(_h), config.Dim)])).ToArray();
        _finalNorm = Floats(weights.FinalNorm);
        _classifier = [new(Address(weights.Classifier), 0, config.VocabSize)];
    }

    /// <summary>
    /// A decoder over <paramref name="weights"/>, or null where this path does not apply (no AVX-512, or weights
    /// that are not contiguous fp32/bf16 CPU tensors of one dtype); the caller then stays on TorchSharp.
    /// </summary>
    public static SingleTokenDecoder? TryCreate(LlamaConfig config, LlamaWeights weights, RotaryEmbedding rope)
    {
        var dtype = weights.TokenEmbedding.dtype;
        var matrices = weights.Layers.SelectMany(l => l.All).Append(weights.TokenEmbedding).Append(weights.Classifier).Append(weights.FinalNorm);
        var usable = Avx512F.IsSupported
            && dtype is ScalarType.Float32 or ScalarType.BFloat16
            && matrices.All(t => t.dtype == dtype && t.is_contiguous() && t.device_type == TorchSharp.DeviceType.CPU);
        return usable ? new SingleTokenDecoder(config, weights, rope) : null;
    }

    /// <summary>Whether <paramref name="cache"/> can be read and written by this decoder (one sequence, the weights' dtype).</summary>
    public bool Accepts(KvCache cache) => cache.BatchSize == 1 && cache.DType == _weights.TokenEmbedding.dtype;

    /// <summary>Runs <paramref name="token"/> at <paramref name="position"/>, storing its key/value; returns fp32 logits <c>[1, 1, vocab]</c> owned by the caller's scope.</summary>
    public Tensor Step(long token, int position, KvCache cache)
    {
        var c = _config;
        var dim = c.Dim;
        ReadRow(_weights.TokenEmbedding, token, dim, _x);
        for (var layer = 0; layer < c.Layers; layer++)
        {
            var w = _layers[layer];
            RmsNorm(_x, w.AttentionNorm, _h);
            Project(w.Qkv, Address(_h), dim);
            AddBias(_q, w.Bq);
            AddBias(_k, w.Bk);
            AddBias(_v, w.Bv);
            _rope.RotateInPlace(_q, c.Heads, position);
            _rope.RotateInPlace(_k, c.KvHeads, position);
            var (keys, values) = cache.Layer(layer);
            Store(keys, position, _k);
            Store(values, position, _v);
            Attend(keys, values, position + 1, cache.MaxSequenceLength);
            Project(w.O, Address(_attention), dim);
            TensorPrimitives.Add(_x, _h.AsSpan(0, dim), _x);

            RmsNorm(_x, w.FfnNorm, _h);
            Project(w.GateUp, Address(_h), dim);
            TensorPrimitives.Sigmoid(_gate, _h);                    // silu(g) = g · σ(g)
            TensorPrimitives.Multiply(_h.AsSpan(0, c.HiddenDim), _gate, _h);
            TensorPrimitives.Multiply(_h.AsSpan(0, c.HiddenDim), _up, _gate);
            Project(w.Down, Address(_gate), c.HiddenDim);
            TensorPrimitives.Add(_x, _h.AsSpan(0, dim), _x);
        }

        RmsNorm(_x, _finalNorm, _h);
        var logits = empty(1, 1, c.VocabSize, ScalarType.Float32); // [1, 1, vocab]
        fixed (byte* output = logits.bytes)
        {
            Project([_classifier[0] with { Output = (nint)output }], Address(_h), dim);
        }

        return logits;
    }

    private static float[] Scratch(int length) => GC.AllocateArray<float>(length, pinned: true);

    private static nint Address(float[] pinned) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    private static nint Address(Tensor tensor)
    {
        fixed (byte* p = tensor.bytes)
        {
            return (nint)p; // native tensor memory: stable for the tensor's lifetime
        }
    }

    private static float[] Floats(Tensor tensor)
    {
        using var wide = tensor.to(ScalarType.Float32);
        return wide.data<float>().ToArray();
    }

    private static void AddBias(float[] values, float[]? bias)
    {
        if (bias is not null)
        {
            TensorPrimitives.Add(values, bias, values);
        }
    }

    // out = x / sqrt(mean(x²) + eps) · weight, in that order of rounding, as the TorchSharp path computes it in fp32.
    private void RmsNorm(float[] x, float[] weight, float[] output)
    {
        var dim = _config.Dim;
        var scale = 1f / MathF.Sqrt((TensorPrimitives.SumOfSquares(x.AsSpan(0, dim)) / dim) + _config.NormEpsilon);
        var destination = output.AsSpan(0, dim);
        TensorPrimitives.Multiply(x.AsSpan(0, dim), scale, destination);
        TensorPrimitives.Multiply(destination, weight, destination);
    }

    private void ReadRow(Tensor matrix, long row, int width, float[] destination)
    {
        var source = Address(matrix);
        if (_bf16)
        {
            var p = (ushort*)source + (row * width);
            for (var i = 0; i < width; i++)
            {
                destination[i] = BitConverter.Int32BitsToSingle(p[i] << 16);
            }
        }
        else
        {
            new ReadOnlySpan<float>((float*)source + (row * width), width).CopyTo(destination);
        }
    }

    // Writes one position's [kvHeads, headDim] into a cache tensor [1, kvHeads, maxSeq, headDim].
    private void Store(Tensor cacheTensor, int position, float[] source)
    {
        var (kvHeads, headDim, maxSeq) = (_config.KvHeads, _config.HeadDim, (int)cacheTensor.shape[2]);
        var baseAddress = Address(cacheTensor);
        for (var head = 0; head < kvHeads; head++)
        {
            var offset = (((long)head * maxSeq) + position) * headDim;
            var from = source.AsSpan(head * headDim, headDim);
            if (_bf16)
            {
                var to = (ushort*)baseAddress + offset;
                for (var i = 0; i < headDim; i++)
                {
                    to[i] = ToBf16(from[i]);
                }
            }
            else
            {
                from.CopyTo(new Span<float>((float*)baseAddress + offset, headDim));
            }
        }
    }

    // fp32 to bf16 rounding to nearest even, as torch's .to(bfloat16) does; NaN stays NaN.
    private static ushort ToBf16(float value)
    {
        var bits = (uint)BitConverter.SingleToInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    // Causal attention of the current token over positions 0..length-1; query head h reads key/value head
    // h / group. Heads are split across the cores. Result in _attention [heads * headDim].
    private void Attend(Tensor keys, Tensor values, int length, int maxSeq)
    {
        var c = _config;
        var keyBase = Address(keys);
        var valueBase = Address(values);
        var parts = Math.Min(_parts, c.Heads);
        var perPart = (c.Heads + parts - 1) / parts;
        if (parts == 1 || (long)length * c.Dim < ParallelMultiplyAdds / 4)
        {
            AttendHeads(0, c.Heads, keyBase, valueBase, length, maxSeq);
            return;
        }

        Parallel.For(0, parts, part => AttendHeads(part * perPart, Math.Min(c.Heads, (part + 1) * perPart), keyBase, valueBase, length, maxSeq));
    }

    private void AttendHeads(int firstHead, int endHead, nint keyBase, nint valueBase, int length, int maxSeq)
    {
        var c = _config;
        var headDim = c.HeadDim;
        var group = c.Heads / c.KvHeads;
        var scale = 1f / MathF.Sqrt(headDim);
        fixed (float* q = _q)
        fixed (float* output = _attention)
        fixed (float* allScores = _scores)
        {
            for (var head = firstHead; head < endHead; head++)
            {
                var kvOffset = (long)(head / group) * maxSeq * headDim;
                var query = q + (head * headDim);
                var scores = new Span<float>(allScores + ((long)head * c.MaxSequenceLength), length);
                for (var t = 0; t < length; t++)
                {
                    var row = kvOffset + ((long)t * headDim);
                    scores[t] = (_bf16 ? MatVec.DotBf16((ushort*)keyBase + row, query, headDim) : MatVec.DotF32((float*)keyBase + row, query, headDim)) * scale;
                }

                // Softmax in fp32, shifted by the maximum so exp never overflows.
                TensorPrimitives.Subtract(scores, TensorPrimitives.Max(scores), scores);
                TensorPrimitives.Exp(scores, scores);
                TensorPrimitives.Divide(scores, TensorPrimitives.Sum(scores), scores);
                WeightedSum(scores, valueBase, kvOffset, output + (head * headDim), headDim);
            }
        }
    }

    // output[d] = Σ_t p[t] · V[t, d] over one key/value head's rows.
    private void WeightedSum(ReadOnlySpan<float> p, nint valueBase, long kvOffset, float* output, int headDim)
    {
        var d = 0;
        for (; d + 16 <= headDim; d += 16)
        {
            var sum = Vector512<float>.Zero;
            for (var t = 0; t < p.Length; t++)
            {
                var row = kvOffset + ((long)t * headDim) + d;
                var v = _bf16 ? MatVec.Widen((ushort*)valueBase + row) : Avx512F.LoadVector512((float*)valueBase + row);
                sum = Avx512F.FusedMultiplyAdd(v, Vector512.Create(p[t]), sum);
            }

            sum.Store(output + d);
        }

        for (; d < headDim; d++)
        {
            var sum = 0f;
            for (var t = 0; t < p.Length; t++)
            {
                var row = kvOffset + ((long)t * headDim) + d;
                sum += p[t] * (_bf16 ? BitConverter.Int32BitsToSingle(((ushort*)valueBase)[row] << 16) : ((float*)valueBase)[row]);
            }

            output[d] = sum;
        }
    }

    // y_i = W_i x for projections sharing one input: their rows, taken together, are split evenly across the cores.
    private void Project(Projection[] projections, nint input, int columns)
    {
        var rows = 0;
        foreach (var projection in projections)
        {
            rows += projection.Rows;
        }

        var bf16 = _bf16;
        if ((long)rows * columns < ParallelMultiplyAdds || _parts == 1)
        {
            ProjectRows(projections, input, columns, bf16, 0, rows);
            return;
        }

        var perPart = (rows + _parts - 1) / _parts;
        Parallel.For(0, _parts, part => ProjectRows(projections, input, columns, bf16, part * perPart, Math.Min(rows, (part + 1) * perPart)));
    }

    private static void ProjectRows(Projection[] projections, nint input, int columns, bool bf16, int from, int to)
    {
        var x = (float*)input;
        var offset = 0;
        foreach (var projection in projections)
        {
            var (start, end) = (Math.Max(from, offset) - offset, Math.Min(to, offset + projection.Rows) - offset);
            var y = (float*)projection.Output;
            for (var r = start; r < end; r++)
            {
                y[r] = bf16
                    ? MatVec.DotBf16((ushort*)projection.Weight + ((long)r * columns), x, columns)
                    : MatVec.DotF32((float*)projection.Weight + ((long)r * columns), x, columns);
            }

            offset += projection.Rows;
        }
    }

    /// <summary>One weight matrix <c>[rows, columns]</c> at <see cref="Weight"/> writing fp32 results to <see cref="Output"/>.</summary>
    private readonly record struct Projection(nint Weight, nint Output, int Rows);

    private sealed record Layer(
        float[] AttentionNorm, Projection[] Qkv, float[]? Bq, float[]? Bk, float[]? Bv, Projection[] O,
        float[] FfnNorm, Projection[] GateUp, Projection[] Down);
}
