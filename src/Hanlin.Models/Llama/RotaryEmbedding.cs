using static TorchSharp.torch;

namespace Hanlin.Models.Llama;

/// <summary>
/// Rotary position embedding with precomputed tables <c>cos/sin [maxSeq, headDim/2]</c>. Pair j of a head
/// rotates by angle pos·θ^(−2j/headDim); <see cref="RopeLayout"/> decides which two dimensions form pair j.
/// </summary>
internal sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _cos;
    private readonly Tensor _sin;
    private readonly RopeLayout _layout;
    private readonly float[] _cosTable; // [maxSeq, headDim/2], as _cos
    private readonly float[] _sinTable;
    private readonly int _headDim;

    public RotaryEmbedding(LlamaConfig config)
    {
        _layout = config.RopeLayout;
        var half = config.HeadDim / 2;
        var cos = new float[config.MaxSequenceLength * half];
        var sin = new float[cos.Length];
        for (var pos = 0; pos < config.MaxSequenceLength; pos++)
        {
            for (var j = 0; j < half; j++)
            {
                // Single precision throughout, as llama2.c run.c computes it (powf, float product, cosf/sinf).
                var frequency = 1.0f / MathF.Pow(config.RopeTheta, 2 * j / (float)config.HeadDim);
                if (config.RopeScaling is { } scaling)
                {
                    frequency = scaling.Scale(frequency);
                }

                if (config.RopeFrequencyFactors is { } factors)
                {
                    frequency /= factors[j]; // llama.cpp's ggml_rope_ext divides θ by the factor the same way
                }

                var angle = pos * frequency;
                cos[(pos * half) + j] = MathF.Cos(angle);
                sin[(pos * half) + j] = MathF.Sin(angle);
            }
        }

        _cosTable = cos;
        _sinTable = sin;
        _headDim = config.HeadDim;
        _cos = tensor(cos, config.MaxSequenceLength, half).DetachFromDisposeScope();
        _sin = tensor(sin, config.MaxSequenceLength, half).DetachFromDisposeScope();
    }

    /// <summary>Rotates <paramref name="x"/> <c>[batch, heads, seq, headDim]</c> whose first token sits at <paramref name="start"/>.</summary>
    /// <remarks>Call inside a dispose scope: intermediates and the result belong to it.</remarks>
    public Tensor Apply(Tensor x, int start)
    {
        var seq = x.shape[2];
        return Rotate(x, _cos.narrow(0, start, seq).to(x.dtype), _sin.narrow(0, start, seq).to(x.dtype)); // [seq, headDim/2]
    }

    /// <summary>Rotates <paramref name="x"/> [batch, heads, seq, headDim] by per-row positions [batch, seq].</summary>
    public Tensor Apply(Tensor x, Tensor positions)
    {
        var (batch, seq) = (x.shape[0], x.shape[2]);
        var flat = positions.reshape(-1);
        var cos = _cos.index_select(0, flat).reshape(batch, 1, seq, -1).to(x.dtype); // [batch, 1, seq, headDim/2]
        var sin = _sin.index_select(0, flat).reshape(batch, 1, seq, -1).to(x.dtype);
        return Rotate(x, cos, sin);
    }

    /// <summary>Rotates <paramref name="heads"/> consecutive head vectors of one token at <paramref name="position"/> in place (fp32, as <see cref="Apply(Tensor, int)"/> does).</summary>
    public void RotateInPlace(Span<float> vectors, int heads, int position)
    {
        var half = _headDim / 2;
        var cos = _cosTable.AsSpan(position * half, half);
        var sin = _sinTable.AsSpan(position * half, half);
        for (var head = 0; head < heads; head++)
        {
            var x = vectors.Slice(head * _headDim, _headDim);
            for (var j = 0; j < half; j++)
            {
                var (a, b) = _layout == RopeLayout.InterleavedPairs ? (2 * j, (2 * j) + 1) : (j, j + half);
                var (first, second) = (x[a], x[b]);
                x[a] = (first * cos[j]) - (second * sin[j]);
                x[b] = (first * sin[j]) + (second * cos[j]);
            }
        }
    }

    private Tensor Rotate(Tensor x, Tensor cos, Tensor sin)
    {
        var (batch, heads, seq, headDim) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        if (_layout == RopeLayout.InterleavedPairs)
        {
            var pairs = x.reshape(batch, heads, seq, headDim / 2, 2);
            var even = pairs.select(-1, 0); // [batch, heads, seq, headDim/2]
            var odd = pairs.select(-1, 1);
            return stack([(even * cos) - (odd * sin), (even * sin) + (odd * cos)], -1).reshape(batch, heads, seq, headDim);
        }

        var first = x.narrow(-1, 0, headDim / 2);
        var second = x.narrow(-1, headDim / 2, headDim / 2);
        return cat([(first * cos) - (second * sin), (second * cos) + (first * sin)], -1);
    }

    public void Dispose()
    {
        _cos.Dispose();
        _sin.Dispose();
    }
}
