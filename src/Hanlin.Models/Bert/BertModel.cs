using Hanlin.Core.Errors;
using Hanlin.Models.HuggingFace;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Hanlin.Models.Bert;

/// <summary>
/// A BERT encoder (word + absolute position + token-type embeddings, post-LayerNorm blocks with exact GELU) on
/// TorchSharp. Owns its weights; not thread-safe (one forward at a time).
/// </summary>
public sealed class BertModel : IDisposable
{
    private readonly BertWeights _weights;
    private bool _disposed;

    internal BertModel(BertConfig config, BertWeights weights, string source)
    {
        Config = config;
        Source = source;
        _weights = weights;
    }

    /// <summary>The model's shape.</summary>
    public BertConfig Config { get; }

    /// <summary>Where the weights came from.</summary>
    public string Source { get; }

    /// <summary>Element type of the weights: fp32 or bf16.</summary>
    public ScalarType DType => _weights.WordEmbeddings.dtype;

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => _weights.All.Sum(t => t.numel());

    /// <summary>Loads a Hugging Face BERT directory (<c>config.json</c> and safetensors weights) in <paramref name="dtype"/>, off the caller's thread.</summary>
    /// <exception cref="HanlinException">Missing or inconsistent files, or not a BERT model.</exception>
    public static Task<BertModel> LoadHuggingFaceAsync(
        string directory, ScalarType dtype = ScalarType.Float32, IProgress<float>? progress = null, CancellationToken cancellationToken = default) =>
        HuggingFaceModelDirectory.Open(directory).LoadEncoderAsync(dtype, progress, cancellationToken);

    /// <summary>
    /// Encodes <paramref name="tokens"/> <c>[batch, seq]</c> (int64) where <paramref name="attentionMask"/> <c>[batch, seq]</c>
    /// is 1 for real tokens and 0 for padding, with token types <paramref name="tokenTypes"/> (default all 0), and returns
    /// the last hidden states <c>[batch, seq, hidden]</c> in fp32. The caller owns the result.
    /// </summary>
    public Tensor Forward(Tensor tokens, Tensor attentionMask, Tensor? tokenTypes = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(attentionMask);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tokens.dim() != 2 || !tokens.shape.SequenceEqual(attentionMask.shape))
        {
            throw new ArgumentException($"Expected tokens and mask [batch, seq], got [{string.Join(", ", tokens.shape)}] and [{string.Join(", ", attentionMask.shape)}].", nameof(tokens));
        }

        var (batch, seq) = (tokens.shape[0], tokens.shape[1]);
        var c = Config;
        if (seq > c.MaxPositions)
        {
            throw new HanlinException(ErrorCodes.ContextLengthExceeded, $"An input of {seq} tokens exceeds the {c.MaxPositions} positions of model '{Source}'.");
        }

        using var scope = NewDisposeScope();
        var w = _weights;
        var types = tokenTypes ?? zeros(batch, seq, ScalarType.Int64);
        var x = w.WordEmbeddings.index_select(0, tokens.reshape(-1)).reshape(batch, seq, c.HiddenSize)  // [batch, seq, hidden]
            + w.PositionEmbeddings.narrow(0, 0, seq)                                                      // [seq, hidden]
            + w.TypeEmbeddings.index_select(0, types.reshape(-1)).reshape(batch, seq, c.HiddenSize);
        x = LayerNorm(x, w.EmbeddingNormWeight, w.EmbeddingNormBias);

        // Padding keys are excluded from every query's softmax. [batch, 1, 1, seq]
        var padding = attentionMask.eq(0).reshape(batch, 1, 1, seq);
        var scale = 1 / MathF.Sqrt(c.HeadDim);
        foreach (var l in w.Layers)
        {
            var q = F.linear(x, l.Wq, l.Bq).view(batch, seq, c.Heads, c.HeadDim).transpose(1, 2); // [batch, heads, seq, headDim]
            var k = F.linear(x, l.Wk, l.Bk).view(batch, seq, c.Heads, c.HeadDim).transpose(1, 2);
            var v = F.linear(x, l.Wv, l.Bv).view(batch, seq, c.Heads, c.HeadDim).transpose(1, 2);
            var scores = (matmul(q, k.transpose(2, 3)) * scale).masked_fill(padding, float.NegativeInfinity); // [batch, heads, seq, seq]
            var probabilities = scores.dtype == ScalarType.Float32 ? scores.softmax(-1) : scores.to(ScalarType.Float32).softmax(-1).to(scores.dtype);
            var context = matmul(probabilities, v).transpose(1, 2).reshape(batch, seq, c.HiddenSize); // [batch, seq, hidden]
            x = LayerNorm(F.linear(context, l.Wo, l.Bo) + x, l.AttentionNormWeight, l.AttentionNormBias);
            var inner = F.gelu(F.linear(x, l.WIn, l.BIn));                                            // [batch, seq, intermediate]
            x = LayerNorm(F.linear(inner, l.WOut, l.BOut) + x, l.OutputNormWeight, l.OutputNormBias);
        }

        var result = x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
        return result.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _weights.Dispose();
    }

    private Tensor LayerNorm(Tensor x, Tensor weight, Tensor bias)
    {
        // Statistics in fp32 for bf16 activations, as for RMSNorm in the decoder. [.., hidden]
        var dtype = x.dtype;
        var wide = dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
        var normed = F.layer_norm(wide, [Config.HiddenSize], eps: Config.LayerNormEpsilon);
        return ((dtype == ScalarType.Float32 ? normed : normed.to(dtype)) * weight) + bias;
    }
}
