using TorchSharp;

namespace Hanlin.Models.Bert;

/// <summary>One encoder block's tensors; linear weights are <c>[out, in]</c> as in torch.nn.Linear.</summary>
internal sealed record BertLayerWeights(
    torch.Tensor Wq, torch.Tensor Bq,                         // [hidden, hidden], [hidden]
    torch.Tensor Wk, torch.Tensor Bk,
    torch.Tensor Wv, torch.Tensor Bv,
    torch.Tensor Wo, torch.Tensor Bo,                         // attention output projection
    torch.Tensor AttentionNormWeight, torch.Tensor AttentionNormBias, // [hidden]
    torch.Tensor WIn, torch.Tensor BIn,                       // [intermediate, hidden], [intermediate]
    torch.Tensor WOut, torch.Tensor BOut,                     // [hidden, intermediate], [hidden]
    torch.Tensor OutputNormWeight, torch.Tensor OutputNormBias)
{
    public IEnumerable<torch.Tensor> All =>
        [Wq, Bq, Wk, Bk, Wv, Bv, Wo, Bo, AttentionNormWeight, AttentionNormBias, WIn, BIn, WOut, BOut, OutputNormWeight, OutputNormBias];
}
