using System.Numerics.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Hanlin.Models.Llama;

/// <summary>
/// One decoded token of one sequence — or of several independent sequences at once, each in its own cache at its own
/// position — through the whole decoder in C#, with no TorchSharp op until the logits tensor. Hand-written because decode is bound by streaming the weights, and the TorchSharp path spends
/// about 2,000 small ops per token (~5 µs each: a P/Invoke, a tensor object, bf16↔fp32 conversions) on top
/// of the weight traffic, which costs a 0.4B model a third of its decode speed in bf16. Activations stay fp32;
/// weights and the KV cache are read in the model's dtype (fp32 or bf16) and keys/values are stored in it.
/// The projections sharing an input (q/k/v, gate/up) run in one fork/join over the cores. With several sequences each
/// weight row is read from memory once and applied to every sequence while it sits in L1, and every sequence goes
/// through exactly the arithmetic it would alone, so its logits are bit-identical to a single-sequence step.
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
    private readonly DecodeThreads _threads = DecodeThreads.Shared;
    private readonly ProjectJob _projectJob = new();
    private readonly AttendJob _attendJob;
    private readonly float[] _finalNorm;
    private readonly float[]?[] _bq, _bk, _bv;
    private readonly float[][] _attentionNorms, _ffnNorms;
    private readonly int _hStride; // floats per sequence in _h: it holds a normalised input [dim] and a gated FFN activation [hidden]

    // Pinned scratch for _capacity sequences, row b at b * width (the pinned object heap never moves them, so their
    // addresses can cross threads); reallocated, with the projections that point into it, when more sequences come.
    private int _capacity;
    private float[] _x = [], _h = [], _q = [], _k = [], _v = [], _attention = [], _gate = [], _up = [], _scores = [], _split = [];
    private Layer[] _layers = [];
    private Projection[] _classifier = [];

    private SingleTokenDecoder(LlamaConfig config, LlamaWeights weights, RotaryEmbedding rope)
    {
        _config = config;
        _weights = weights;
        _rope = rope;
        _bf16 = weights.TokenEmbedding.dtype == ScalarType.BFloat16;
        _hStride = Math.Max(config.Dim, config.HiddenDim);
        _attendJob = new AttendJob(this);
        _attentionNorms = [.. weights.Layers.Select(l => Floats(l.AttentionNorm))];
        _ffnNorms = [.. weights.Layers.Select(l => Floats(l.FfnNorm))];
        _bq = [.. weights.Layers.Select(l => l.Bq is null ? null : Floats(l.Bq))];
        _bk = [.. weights.Layers.Select(l => l.Bk is null ? null : Floats(l.Bk))];
        _bv = [.. weights.Layers.Select(l => l.Bv is null ? null : Floats(l.Bv))];
        _finalNorm = Floats(weights.FinalNorm);
        Allocate(1);
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
    public Tensor Step(long token, int position, KvCache cache) => Step([token], [position], [cache]);

    /// <summary>
    /// Runs token i at position i of sequence i, each held in its own single-sequence cache (slots of one shared cache,
    /// typically), storing their keys/values; returns fp32 logits <c>[sequences, 1, vocab]</c> owned by the caller's scope.
    /// </summary>
    public Tensor Step(ReadOnlySpan<long> tokens, ReadOnlySpan<int> positions, IReadOnlyList<KvCache> caches)
    {
        var c = _config;
        var dim = c.Dim;
        var rows = tokens.Length;
        if (rows > _capacity)
        {
            Allocate(rows);
        }

        for (var b = 0; b < rows; b++)
        {
            ReadRow(_weights.TokenEmbedding, tokens[b], dim, _x.AsSpan(b * dim, dim));
        }

        var where = new (nint Keys, nint Values, int Position, int MaxSeq)[rows];
        for (var layer = 0; layer < c.Layers; layer++)
        {
            var w = _layers[layer];
            for (var b = 0; b < rows; b++)
            {
                RmsNorm(_x.AsSpan(b * dim, dim), _attentionNorms[layer], _h.AsSpan(b * _hStride, dim));
            }

            Project(w.Qkv, Address(_h), _hStride, rows, dim);
            for (var b = 0; b < rows; b++)
            {
                var q = _q.AsSpan(b * dim, dim);
                var k = _k.AsSpan(b * c.KvDim, c.KvDim);
                var v = _v.AsSpan(b * c.KvDim, c.KvDim);
                AddBias(q, _bq[layer]);
                AddBias(k, _bk[layer]);
                AddBias(v, _bv[layer]);
                _rope.RotateInPlace(q, c.Heads, positions[b]);
                _rope.RotateInPlace(k, c.KvHeads, positions[b]);
                var (keys, values) = caches[b].Layer(layer);
                Store(keys, positions[b], k);
                Store(values, positions[b], v);
                where[b] = (Address(keys), Address(values), positions[b], (int)keys.shape[2]);
            }

            Attend(where);
            Project(w.O, Address(_attention), dim, rows, dim);
            for (var b = 0; b < rows; b++)
            {
                var x = _x.AsSpan(b * dim, dim);
                TensorPrimitives.Add(x, _h.AsSpan(b * _hStride, dim), x);
                RmsNorm(x, _ffnNorms[layer], _h.AsSpan(b * _hStride, dim));
            }

            Project(w.GateUp, Address(_h), _hStride, rows, dim);
            for (var b = 0; b < rows; b++)
            {
                var gate = _gate.AsSpan(b * c.HiddenDim, c.HiddenDim);
                var up = _up.AsSpan(b * c.HiddenDim, c.HiddenDim);
                var h = _h.AsSpan(b * _hStride, c.HiddenDim);
                TensorPrimitives.Sigmoid(gate, h);                    // silu(g) = g · σ(g)
                TensorPrimitives.Multiply(h, gate, h);
                TensorPrimitives.Multiply(h, up, gate);
            }

            Project(w.Down, Address(_gate), c.HiddenDim, rows, c.HiddenDim);
            for (var b = 0; b < rows; b++)
            {
                var x = _x.AsSpan(b * dim, dim);
                TensorPrimitives.Add(x, _h.AsSpan(b * _hStride, dim), x);
            }
        }

        for (var b = 0; b < rows; b++)
        {
            RmsNorm(_x.AsSpan(b * dim, dim), _finalNorm, _h.AsSpan(b * _hStride, dim));
        }

        var logits = empty(rows, 1, c.VocabSize, ScalarType.Float32); // [rows, 1, vocab]
        fixed (byte* output = logits.bytes)
        {
            Project([_classifier[0] with { Output = (nint)output }], Address(_h), _hStride, rows, dim);
        }

        return logits;
    }

    // Scratch for `rows` sequences, and the projections writing into it.
    private void Allocate(int rows)
    {
        var c = _config;
        _capacity = rows;
        _x = Scratch(rows * c.Dim);
        _h = Scratch(rows * _hStride);
        _q = Scratch(rows * c.Dim);
        _k = Scratch(rows * c.KvDim);
        _v = Scratch(rows * c.KvDim);
        _attention = Scratch(rows * c.Dim);
        _gate = Scratch(rows * c.HiddenDim);
        _up = Scratch(rows * c.HiddenDim);
        _scores = Scratch(rows * c.Heads * c.MaxSequenceLength);
        _split = Scratch(rows * _hStride);
        _layers = [.. _weights.Layers.Select(l => new Layer(
            [new(Address(l.Wq), Address(_q), c.Dim, c.Dim), new(Address(l.Wk), Address(_k), c.KvDim, c.KvDim), new(Address(l.Wv), Address(_v), c.KvDim, c.KvDim)],
            [new(Address(l.Wo), Address(_h), c.Dim, _hStride)],
            [new(Address(l.W1), Address(_gate), c.HiddenDim, c.HiddenDim), new(Address(l.W3), Address(_up), c.HiddenDim, c.HiddenDim)],
            [new(Address(l.W2), Address(_h), c.Dim, _hStride)]))];
        _classifier = [new(Address(_weights.Classifier), 0, c.VocabSize, c.VocabSize)];
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

    private static void AddBias(Span<float> values, float[]? bias)
    {
        if (bias is not null)
        {
            TensorPrimitives.Add(values, bias, values);
        }
    }

    // out = x / sqrt(mean(x²) + eps) · weight, in that order of rounding, as the TorchSharp path computes it in fp32.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RmsNorm(ReadOnlySpan<float> x, float[] weight, Span<float> output)
    {
        var dim = _config.Dim;
        var scale = 1f / MathF.Sqrt((TensorPrimitives.SumOfSquares(x) / dim) + _config.NormEpsilon);
        TensorPrimitives.Multiply(x, scale, output);
        TensorPrimitives.Multiply(output, weight, output);
    }

    private void ReadRow(Tensor matrix, long row, int width, Span<float> destination)
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
    private void Store(Tensor cacheTensor, int position, ReadOnlySpan<float> source)
    {
        var (kvHeads, headDim, maxSeq) = (_config.KvHeads, _config.HeadDim, (int)cacheTensor.shape[2]);
        var baseAddress = Address(cacheTensor);
        for (var head = 0; head < kvHeads; head++)
        {
            var offset = (((long)head * maxSeq) + position) * headDim;
            var from = source.Slice(head * headDim, headDim);
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

    // Causal attention of each sequence's current token over its own positions 0..position; query head h reads
    // key/value head h / group. (sequence, head) pairs are split across the cores. Result in _attention [rows, heads * headDim].
    private void Attend((nint Keys, nint Values, int Position, int MaxSeq)[] where)
    {
        var c = _config;
        var pairs = where.Length * c.Heads;
        long work = 0;
        foreach (var row in where)
        {
            work += (long)(row.Position + 1) * c.Dim;
        }

        if (_threads.Workers == 0 || work < ParallelMultiplyAdds / 4)
        {
            AttendHeads(0, pairs, where);
            return;
        }

        _attendJob.Set(where);
        _threads.Run(_attendJob, pairs);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AttendHeads(int firstPair, int endPair, (nint Keys, nint Values, int Position, int MaxSeq)[] where)
    {
        var c = _config;
        var headDim = c.HeadDim;
        var group = c.Heads / c.KvHeads;
        var scale = 1f / MathF.Sqrt(headDim);
        fixed (float* q = _q)
        fixed (float* output = _attention)
        fixed (float* allScores = _scores)
        {
            for (var pair = firstPair; pair < endPair; pair++)
            {
                var (row, head) = (pair / c.Heads, pair % c.Heads);
                var (keyBase, valueBase, position, maxSeq) = where[row];
                var length = position + 1;
                var kvOffset = (long)(head / group) * maxSeq * headDim;
                var query = q + (row * c.Dim) + (head * headDim);
                var scores = new Span<float>(allScores + ((long)pair * c.MaxSequenceLength), length);
                for (var t = 0; t < length; t++)
                {
                    var at = kvOffset + ((long)t * headDim);
                    scores[t] = (_bf16 ? MatVec.DotBf16((ushort*)keyBase + at, query, headDim) : MatVec.DotF32((float*)keyBase + at, query, headDim)) * scale;
                }

                // Softmax in fp32, shifted by the maximum so exp never overflows.
                TensorPrimitives.Subtract(scores, TensorPrimitives.Max(scores), scores);
                TensorPrimitives.Exp(scores, scores);
                TensorPrimitives.Divide(scores, TensorPrimitives.Sum(scores), scores);
                WeightedSum(scores, valueBase, kvOffset, output + (row * c.Dim) + (head * headDim), headDim);
            }
        }
    }

    // output[d] = Σ_t p[t] · V[t, d] over one key/value head's rows.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    // y_i = W_i x for projections sharing one input, for each of `rows` inputs (input b at input + b * inputStride floats):
    // the weights' rows, taken together, are cut into chunks that the decode threads share, and each weight row serves
    // every input in turn. bf16 rows read their inputs in the order MatVec.SplitForBf16 puts them in.
    private void Project(Projection[] projections, nint input, int inputStride, int rows, int columns)
    {
        var weightRows = 0;
        foreach (var projection in projections)
        {
            weightRows += projection.Rows;
        }

        var bf16 = _bf16;
        if (bf16)
        {
            var split = (float*)Address(_split);
            for (var b = 0; b < rows; b++)
            {
                MatVec.SplitForBf16((float*)input + ((long)b * inputStride), split + ((long)b * _hStride), columns);
            }

            (input, inputStride) = ((nint)split, _hStride);
        }

        if ((long)weightRows * columns * rows < ParallelMultiplyAdds || _threads.Workers == 0)
        {
            ProjectRows(projections, input, inputStride, rows, columns, bf16, 0, weightRows);
            return;
        }

        // Chunks of at least 16 rows, about 16 per thread: few enough that claiming them costs nothing next to the
        // rows, many enough that a thread the scheduler runs late leaves little for the others to wait on.
        var chunks = Math.Clamp(weightRows / 16, 1, 16 * (_threads.Workers + 1));
        _projectJob.Set(projections, input, inputStride, rows, columns, bf16, weightRows, chunks);
        _threads.Run(_projectJob, chunks);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ProjectRows(Projection[] projections, nint input, int inputStride, int rows, int columns, bool bf16, int from, int to)
    {
        var offset = 0;
        foreach (var projection in projections)
        {
            var (start, end) = (Math.Max(from, offset) - offset, Math.Min(to, offset + projection.Rows) - offset);
            for (var r = start; r < end; r++)
            {
                var weight = projection.Weight + ((long)r * columns * (bf16 ? sizeof(ushort) : sizeof(float)));
                var x = (float*)input;
                var y = (float*)projection.Output + r;
                var b = 0;
                for (; b + 4 <= rows; b += 4)
                {
                    var x0 = x + ((long)b * inputStride);
                    var x1 = x0 + inputStride;
                    var x2 = x1 + inputStride;
                    var x3 = x2 + inputStride;
                    var sums = bf16 ? MatVec.DotBf16Splitx4((ushort*)weight, x0, x1, x2, x3, columns) : MatVec.DotF32x4((float*)weight, x0, x1, x2, x3, columns);
                    for (var j = 0; j < 4; j++)
                    {
                        y[(long)(b + j) * projection.Stride] = sums.GetElement(j);
                    }
                }

                for (; b < rows; b++)
                {
                    var xb = x + ((long)b * inputStride);
                    y[(long)b * projection.Stride] = bf16 ? MatVec.DotBf16Split((ushort*)weight, xb, columns) : MatVec.DotF32((float*)weight, xb, columns);
                }
            }

            offset += projection.Rows;
        }
    }

    /// <summary>
    /// One weight matrix <c>[rows, columns]</c> at <see cref="Weight"/> writing fp32 results to <see cref="Output"/>, the
    /// output of sequence b at <see cref="Output"/> + b · <see cref="Stride"/> floats.
    /// </summary>
    private readonly record struct Projection(nint Weight, nint Output, int Rows, int Stride);

    private sealed record Layer(Projection[] Qkv, Projection[] O, Projection[] GateUp, Projection[] Down);

    private sealed class ProjectJob : DecodeThreads.Job
    {
        private Projection[] _projections = [];
        private nint _input;
        private int _inputStride, _rows, _columns, _weightRows, _chunks;
        private bool _bf16;

        public void Set(Projection[] projections, nint input, int inputStride, int rows, int columns, bool bf16, int weightRows, int chunks) =>
            (_projections, _input, _inputStride, _rows, _columns, _bf16, _weightRows, _chunks) = (projections, input, inputStride, rows, columns, bf16, weightRows, chunks);

        public override void Run(int chunk) => ProjectRows(
            _projections, _input, _inputStride, _rows, _columns, _bf16, (int)((long)_weightRows * chunk / _chunks), (int)((long)_weightRows * (chunk + 1) / _chunks));
    }

    private sealed class AttendJob(SingleTokenDecoder decoder) : DecodeThreads.Job
    {
        private (nint Keys, nint Values, int Position, int MaxSeq)[] _where = [];

        public void Set((nint Keys, nint Values, int Position, int MaxSeq)[] where) => _where = where;

        public override void Run(int chunk) => decoder.AttendHeads(chunk, chunk + 1, _where);
    }
}
