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
