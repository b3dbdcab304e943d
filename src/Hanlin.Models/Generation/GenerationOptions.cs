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

    /// <summary>
    /// Min-p sampling: drop tokens whose probability is below this fraction of the most likely token's; 0 disables.
    /// </summary>
    public float MinP { get; init; }

    /// <summary>
    /// Hugging Face style repetition penalty over prompt and generated tokens: a positive logit is divided by it,
    /// a negative one multiplied; 1 disables.
    /// </summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>OpenAI style presence penalty: subtracted once from the logit of every token already generated; 0 disables.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>OpenAI style frequency penalty: subtracted from a token's logit once per time it was generated; 0 disables.</summary>
    public float FrequencyPenalty { get; init; }

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

        if (!(MinP >= 0f && MinP < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(MinP), MinP, "MinP must be in [0, 1).");
        }

        if (!(RepetitionPenalty > 0f) || float.IsInfinity(RepetitionPenalty))
        {
            throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), RepetitionPenalty, "RepetitionPenalty must be positive (1 disables it).");
        }

        if (!float.IsFinite(PresencePenalty) || !float.IsFinite(FrequencyPenalty) || Math.Abs(PresencePenalty) > 2f || Math.Abs(FrequencyPenalty) > 2f)
        {
            throw new ArgumentOutOfRangeException(nameof(PresencePenalty), "Presence and frequency penalties must be between -2 and 2, as in the OpenAI API.");
        }
    }
}
