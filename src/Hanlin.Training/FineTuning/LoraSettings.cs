namespace Hanlin.Training.FineTuning;

/// <summary>The LoRA adapter a fine-tuning job trains (mapped to the model layer's LoRA configuration).</summary>
public sealed record LoraSettings
{
    /// <summary>Rank r of the low-rank update.</summary>
    public int Rank { get; init; } = 8;

    /// <summary>Alpha; the update is scaled by alpha/r (or alpha/sqrt(r) with <see cref="UseRsLora"/>).</summary>
    public double Alpha { get; init; } = 16;

    /// <summary>Dropout on the adapter's input during training, in [0, 1).</summary>
    public double Dropout { get; init; }

    /// <summary>Scale by alpha/sqrt(r) (rank-stabilised LoRA) instead of alpha/r.</summary>
    public bool UseRsLora { get; init; }

    /// <summary>Modules to adapt, by their Hugging Face names.</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "k_proj", "v_proj", "o_proj"];

    /// <summary>Layer indices to adapt (e.g. the top ones, freezing the bottom), or null for every layer.</summary>
    public IReadOnlyList<int>? Layers { get; init; }
}
