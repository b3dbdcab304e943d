using static TorchSharp.torch;

namespace Hanlin.Models.Lora;

/// <summary>One adapted projection's factors, fp32 leaf tensors that require gradients.</summary>
/// <param name="A">lora_A <c>[r, in]</c>.</param>
/// <param name="B">lora_B <c>[out, r]</c>.</param>
internal sealed record LoraPair(Tensor A, Tensor B);
