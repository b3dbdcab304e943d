namespace Hanlin.Models.Llama;

/// <summary>
/// Llama-3.1's RoPE frequency scaling (<c>rope_type: llama3</c>): wavelengths longer than
/// <c>OriginalMaxPositionEmbeddings / LowFrequencyFactor</c> are stretched by <see cref="Factor"/>, those shorter than
/// <c>OriginalMaxPositionEmbeddings / HighFrequencyFactor</c> are kept, and the band between is interpolated.
/// </summary>
/// <param name="Factor">Stretch of the low frequencies (Llama-3.1: 8).</param>
/// <param name="LowFrequencyFactor">Llama-3.1: 1.</param>
/// <param name="HighFrequencyFactor">Llama-3.1: 4.</param>
/// <param name="OriginalMaxPositionEmbeddings">Context the model was pre-trained with (Llama-3.1: 8192).</param>
public sealed record Llama3RopeScaling(float Factor, float LowFrequencyFactor, float HighFrequencyFactor, int OriginalMaxPositionEmbeddings)
{
    /// <summary>Scales one inverse frequency (radians per position) as transformers' <c>_compute_llama3_parameters</c> does, in fp32.</summary>
    public float Scale(float inverseFrequency)
    {
        var lowFrequencyWavelength = OriginalMaxPositionEmbeddings / LowFrequencyFactor;
        var highFrequencyWavelength = OriginalMaxPositionEmbeddings / HighFrequencyFactor;
        var wavelength = 2 * MathF.PI / inverseFrequency;
        if (wavelength < highFrequencyWavelength)
        {
            return inverseFrequency;
        }

        if (wavelength > lowFrequencyWavelength)
        {
            return inverseFrequency / Factor;
        }

        var smooth = ((OriginalMaxPositionEmbeddings / wavelength) - LowFrequencyFactor) / (HighFrequencyFactor - LowFrequencyFactor);
        return ((1 - smooth) * inverseFrequency / Factor) + (smooth * inverseFrequency);
    }
}
