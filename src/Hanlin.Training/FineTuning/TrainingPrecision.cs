namespace Hanlin.Training.FineTuning;

/// <summary>The floating-point type the model computes in.</summary>
/// <remarks>
/// The optimiser always keeps fp32 master weights and moments (<see cref="AdamW"/>), so bf16 changes the forward and
/// backward passes only. fp16 is not offered: on the project's CPUs libtorch runs it 5-8x slower than fp32.
/// </remarks>
public enum TrainingPrecision
{
    /// <summary>32-bit floats.</summary>
    Float32,

    /// <summary>bfloat16 weights and activations (fp32 range, 8-bit mantissa).</summary>
    BFloat16,
}
