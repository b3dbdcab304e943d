using Hanlin.Models.Generation;

namespace Hanlin.Models.HuggingFace;

/// <summary>
/// A model's own generation defaults from <c>generation_config.json</c> (falling back to <c>config.json</c> for the
/// special token ids).
/// </summary>
/// <param name="EosTokenIds">Tokens that end generation (Llama-3 instruct models have several).</param>
/// <param name="BosTokenId">Beginning-of-sequence token, if any.</param>
/// <param name="PadTokenId">Padding token, if any.</param>
public sealed record HuggingFaceGenerationConfig(IReadOnlyList<int> EosTokenIds, int? BosTokenId, int? PadTokenId)
{
    /// <summary>Whether the model's authors sample by default (otherwise greedy).</summary>
    public bool DoSample { get; init; }

    /// <summary>Sampling temperature; transformers' default is 1.</summary>
    public float? Temperature { get; init; }

    /// <summary>Nucleus probability mass; transformers' default is 1 (off).</summary>
    public float? TopP { get; init; }

    /// <summary>Top-k cut; transformers' default is 50.</summary>
    public int? TopK { get; init; }

    /// <summary>Repetition penalty, if the authors set one.</summary>
    public float? RepetitionPenalty { get; init; }

    /// <summary>Default number of new tokens, if the authors set one.</summary>
    public int? MaxNewTokens { get; init; }

    /// <summary>These defaults as Hanlin options: transformers' sampling defaults where a value is absent, greedy when not sampling.</summary>
    public GenerationOptions ToGenerationOptions() => new()
    {
        MaxNewTokens = MaxNewTokens ?? new GenerationOptions().MaxNewTokens,
        Temperature = DoSample ? Temperature ?? 1f : 0f,
        TopK = DoSample ? TopK ?? 50 : 0,
        TopP = DoSample ? TopP ?? 1f : 1f,
        StopTokenIds = EosTokenIds.ToHashSet(),
    };

    internal static HuggingFaceGenerationConfig Read(ConfigJson? generation, ConfigJson model)
    {
        var source = generation is not null && generation.Has("eos_token_id") ? generation : model;
        var result = new HuggingFaceGenerationConfig(
            source.Ints("eos_token_id"),
            generation?.Int("bos_token_id") ?? model.Int("bos_token_id"),
            generation?.Int("pad_token_id") ?? model.Int("pad_token_id"));
        if (generation is null)
        {
            return result;
        }

        return result with
        {
            DoSample = generation.Bool("do_sample") ?? false,
            Temperature = (float?)generation.Number("temperature"),
            TopP = (float?)generation.Number("top_p"),
            TopK = generation.Int("top_k"),
            RepetitionPenalty = (float?)generation.Number("repetition_penalty"),
            MaxNewTokens = generation.Int("max_new_tokens"),
        };
    }
}
