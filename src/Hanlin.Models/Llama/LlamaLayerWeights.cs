using TorchSharp;

namespace Hanlin.Models.Llama;

/// <summary>
/// One decoder block's tensors; linear weights are <c>[out, in]</c> as in torch.nn.Linear. The q/k/v biases
/// exist only for architectures that have them (Qwen2, Llama with <c>attention_bias</c>).
/// </summary>
internal sealed record LlamaLayerWeights(
    torch.Tensor AttentionNorm, // [dim]
    torch.Tensor Wq,            // [heads*headDim, dim]
    torch.Tensor Wk,            // [kvHeads*headDim, dim]
    torch.Tensor Wv,            // [kvHeads*headDim, dim]
    torch.Tensor Wo,            // [dim, heads*headDim]
    torch.Tensor FfnNorm,       // [dim]
    torch.Tensor W1,            // [hidden, dim]  gate
    torch.Tensor W2,            // [dim, hidden]  down
    torch.Tensor W3,            // [hidden, dim]  up
    torch.Tensor? Bq = null,    // [heads*headDim]
    torch.Tensor? Bk = null,    // [kvHeads*headDim]
    torch.Tensor? Bv = null)    // [kvHeads*headDim]
{
    public IEnumerable<torch.Tensor> All =>
        new[] { AttentionNorm, Wq, Wk, Wv, Wo, FfnNorm, W1, W2, W3, Bq, Bk, Bv }.OfType<torch.Tensor>();
}
