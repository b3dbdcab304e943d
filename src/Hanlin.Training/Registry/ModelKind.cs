namespace Hanlin.Training.Registry;

/// <summary>What a registered model directory holds; stored as snake_case text.</summary>
public enum ModelKind
{
    /// <summary>A full checkpoint trained elsewhere (a Hugging Face or llama2.c directory).</summary>
    BaseModel,

    /// <summary>A LoRA adapter (PEFT format) that needs its base model.</summary>
    Adapter,

    /// <summary>A base model with an adapter merged into its weights.</summary>
    Merged,
}
