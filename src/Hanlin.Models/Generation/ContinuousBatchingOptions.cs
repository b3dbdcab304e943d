using Hanlin.Models.Llama;

namespace Hanlin.Models.Generation;

/// <summary>How a <see cref="ContinuousBatcher"/> shares one model among concurrent requests.</summary>
public sealed record ContinuousBatchingOptions
{
    /// <summary>Most sequences decoded together in one forward; later requests wait in arrival order.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>
    /// Prompt tokens run per scheduler step for a newly admitted request, so a long prompt delays the running
    /// sequences' next token by one chunk at a time rather than by its whole length. The default is the model's own
    /// prefill chunk, so a prompt computes exactly what a single-request prefill computes.
    /// </summary>
    public int PrefillChunkTokens { get; init; } = LlamaModel.PrefillChunk;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PrefillChunkTokens);
    }
}
