using static TorchSharp.torch;

namespace Hanlin.Training.FineTuning;

/// <summary>Clipping of gradients by their global L2 norm, as PyTorch's <c>clip_grad_norm_</c>.</summary>
/// <remarks>
/// Written here because TorchSharp's <c>nn.utils.clip_grad_norm_</c> takes only module <c>Parameter</c>s, while
/// trainable tensors such as a LoRA adapter's are plain leaf tensors.
/// </remarks>
public static class GradientClipping
{
    /// <summary>
    /// Scales every gradient by min(1, max/(norm + 1e-6)), where norm is the L2 norm of all gradients together, and
    /// returns that norm (before clipping; NaN or infinity when a gradient is not finite).
    /// </summary>
    public static double ClipByGlobalNorm(IReadOnlyList<Tensor> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var gradients = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (gradients.Count == 0)
        {
            return 0;
        }

        var norms = stack(gradients.Select(g => linalg.vector_norm(g.to(ScalarType.Float32))).ToArray());
        var total = linalg.vector_norm(norms);
        var coefficient = (maxNorm / (total + 1e-6)).clamp_max(1.0);
        foreach (var gradient in gradients)
        {
            gradient.mul_(coefficient.to(gradient.dtype));
        }

        return total.to(ScalarType.Float64).item<double>();
    }
}
