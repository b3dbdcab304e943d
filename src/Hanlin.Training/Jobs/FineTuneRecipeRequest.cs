namespace Hanlin.Training.Jobs;

/// <summary>What <see cref="FineTuneRecipeExporter"/> writes a recipe for.</summary>
public sealed record FineTuneRecipeRequest
{
    /// <summary>The fine-tuning options as a snake_case JSON object (what <c>hanlin finetune run --config</c> reads).</summary>
    public required string OptionsJson { get; init; }

    /// <summary>The training data file (chat, alpaca, sharegpt JSONL or plain text); copied into the recipe.</summary>
    public required string TrainingFile { get; init; }

    /// <summary>The validation data file, if any; copied into the recipe.</summary>
    public string? ValidationFile { get; init; }

    /// <summary>Where the base model (a Hugging Face directory) is on the GPU nodes; not copied (weights are large).</summary>
    public required string BaseModelPath { get; init; }

    /// <summary>The folder the recipe is written to (created; must be empty or absent).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Kubernetes Job name (lowercase letters, digits and '-').</summary>
    public string JobName { get; init; } = "hanlin-finetune";

    /// <summary>Container image with PyTorch, transformers and peft.</summary>
    public string Image { get; init; } = "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime";

    /// <summary>GPUs on the node, one torchrun process each.</summary>
    public int GpusPerNode { get; init; } = 1;

    /// <summary>The PersistentVolumeClaim that holds the recipe folder and the base model, mounted at <c>/workspace</c>.</summary>
    public string VolumeClaim { get; init; } = "hanlin-finetune";

    /// <summary>Kubernetes namespace, or null for the current one.</summary>
    public string? Namespace { get; init; }
}
