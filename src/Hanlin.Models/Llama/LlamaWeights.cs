using TorchSharp;

namespace Hanlin.Models.Llama;

/// <summary>
/// Sole owner of a Llama model's long-lived tensors. Tensors handed in must not belong to any dispose
/// scope; disposing this releases them all (the tied classifier once).
/// </summary>
internal sealed class LlamaWeights : IDisposable
{
    public LlamaWeights(torch.Tensor tokenEmbedding, IReadOnlyList<LlamaLayerWeights> layers, torch.Tensor finalNorm, torch.Tensor? classifier)
    {
        TokenEmbedding = tokenEmbedding;
        Layers = layers;
        FinalNorm = finalNorm;
        Classifier = classifier ?? tokenEmbedding;
    }

    /// <summary>[vocab, dim]</summary>
    public torch.Tensor TokenEmbedding { get; }

    public IReadOnlyList<LlamaLayerWeights> Layers { get; }

    /// <summary>[dim]</summary>
    public torch.Tensor FinalNorm { get; }

    /// <summary>[vocab, dim]; the same tensor as <see cref="TokenEmbedding"/> when tied.</summary>
    public torch.Tensor Classifier { get; }

    /// <summary>Total number of parameters, counting a tied classifier once.</summary>
    public long ParameterCount => Distinct().Sum(t => t.numel());

    /// <summary>Copies every tensor to <paramref name="dtype"/> (keeping a tied classifier tied); this instance is left intact.</summary>
    public LlamaWeights ConvertTo(torch.ScalarType dtype)
    {
        torch.Tensor Convert(torch.Tensor t) => t.to(dtype).DetachFromDisposeScope();
        var layers = Layers.Select(l => new LlamaLayerWeights(
            Convert(l.AttentionNorm), Convert(l.Wq), Convert(l.Wk), Convert(l.Wv), Convert(l.Wo),
            Convert(l.FfnNorm), Convert(l.W1), Convert(l.W2), Convert(l.W3),
            l.Bq is null ? null : Convert(l.Bq), l.Bk is null ? null : Convert(l.Bk), l.Bv is null ? null : Convert(l.Bv))).ToList();
        var embedding = Convert(TokenEmbedding);
        return new LlamaWeights(embedding, layers, Convert(FinalNorm), ReferenceEquals(Classifier, TokenEmbedding) ? null : Convert(Classifier));
    }

    public void Dispose()
    {
        foreach (var tensor in Distinct())
        {
            tensor.Dispose();
        }
    }

    private IEnumerable<torch.Tensor> Distinct() =>
        new[] { TokenEmbedding, FinalNorm, Classifier }.Concat(Layers.SelectMany(l => l.All)).Distinct(ReferenceEqualityComparer.Instance).Cast<torch.Tensor>();
}
