namespace Hanlin.Models.Generation;

/// <summary>How to continue a prompt. Defaults are greedy decoding of up to 256 tokens.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to generate after the prompt; generation also ends at a stop token or a full context.</summary>
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>Softmax temperature; 0 means greedy (argmax, first index on ties).</summary>
    public float Temperature { get; init; }

    /// <summary>Keep only the k most likely tokens before sampling; 0 disables.</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus sampling: keep the smallest set of most likely tokens whose probability exceeds p; 1 disables.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Seed for sampling; the same seed, prompt and options give the same tokens. Null draws a random seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Token ids that end generation; the stop token itself is not returned.</summary>
    public IReadOnlySet<int> StopTokenIds { get; init; } = new HashSet<int>();

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxNewTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(Temperature);
        ArgumentOutOfRangeException.ThrowIfNegative(TopK);
        if (!(TopP > 0f && TopP <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "TopP must be in (0, 1].");
        }
    }
}
