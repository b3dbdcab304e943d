using static TorchSharp.torch;

namespace Hanlin.Models.HuggingFace;

/// <summary>Reads a list of expected tensors out of a weight set, with progress by bytes and cancellation between tensors.</summary>
internal static class CheckpointReader
{
    /// <summary>
    /// Reads every tensor of <paramref name="expected"/> (stored under <paramref name="prefix"/> + name) as
    /// <paramref name="dtype"/>, keyed by the unprefixed name. On failure or cancellation nothing stays allocated.
    /// </summary>
    public static Dictionary<string, Tensor> ReadAll(
        SafetensorsWeightSet weights,
        IReadOnlyList<KeyValuePair<string, long[]>> expected,
        string prefix,
        ScalarType dtype,
        IProgress<float>? progress,
        CancellationToken cancellationToken)
    {
        var total = Math.Max(1, expected.Sum(e => weights.StoredBytes(prefix + e.Key)));
        long done = 0;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, shape) in expected)
            {
                cancellationToken.ThrowIfCancellationRequested();
                result.Add(name, weights.Read(prefix + name, dtype, shape).DetachFromDisposeScope());
                done += weights.StoredBytes(prefix + name);
                progress?.Report((float)done / total);
            }
        }
        catch
        {
            DisposeAll(result);
            throw;
        }

        return result;
    }

    public static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
