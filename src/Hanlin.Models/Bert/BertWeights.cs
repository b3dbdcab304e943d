using TorchSharp;

namespace Hanlin.Models.Bert;

/// <summary>Sole owner of a BERT encoder's long-lived tensors; none may belong to a dispose scope.</summary>
internal sealed class BertWeights(
    torch.Tensor wordEmbeddings,
    torch.Tensor positionEmbeddings,
    torch.Tensor typeEmbeddings,
    torch.Tensor embeddingNormWeight,
    torch.Tensor embeddingNormBias,
    IReadOnlyList<BertLayerWeights> layers) : IDisposable
{
    /// <summary>[vocab, hidden]</summary>
    public torch.Tensor WordEmbeddings { get; } = wordEmbeddings;

    /// <summary>[maxPositions, hidden]</summary>
    public torch.Tensor PositionEmbeddings { get; } = positionEmbeddings;

    /// <summary>[typeVocab, hidden]</summary>
    public torch.Tensor TypeEmbeddings { get; } = typeEmbeddings;

    public torch.Tensor EmbeddingNormWeight { get; } = embeddingNormWeight;

    public torch.Tensor EmbeddingNormBias { get; } = embeddingNormBias;

    public IReadOnlyList<BertLayerWeights> Layers { get; } = layers;

    public IEnumerable<torch.Tensor> All =>
        new[] { WordEmbeddings, PositionEmbeddings, TypeEmbeddings, EmbeddingNormWeight, EmbeddingNormBias }.Concat(Layers.SelectMany(l => l.All));

    public void Dispose()
    {
        foreach (var tensor in All)
        {
            tensor.Dispose();
        }
    }
}
