using TorchSharp;
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

        // Squares summed and one square root instead of linalg.vector_norm(…, ord: 2): a CI run (2026-11-23) failed once inside
        // that call with "Unknown scalar type", raised for its ord Scalar, which TorchSharp builds as a temporary; these ops
        // take no Scalar. The scale factor is one Scalar held explicitly for the whole loop.
        var squares = stack(gradients.Select(g => g.to(ScalarType.Float32).square().sum()).ToArray());
        var norm = squares.sum().sqrt().to(ScalarType.Float64).item<double>();
        var coefficient = Math.Min(1.0, maxNorm / (norm + 1e-6));
        if (!(coefficient >= 1.0))
        {
            using var scale = coefficient.ToScalar();
            foreach (var gradient in gradients)
            {
                gradient.mul_(scale);
            }
        }

        return norm;
    }
}
