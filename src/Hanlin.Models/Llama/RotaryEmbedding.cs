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

                var angle = pos * frequency;
                cos[(pos * half) + j] = MathF.Cos(angle);
                sin[(pos * half) + j] = MathF.Sin(angle);
            }
        }

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
