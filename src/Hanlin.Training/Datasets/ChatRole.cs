namespace Hanlin.Training.Datasets;

/// <summary>Who speaks in a <see cref="TrainingMessage"/>.</summary>
public enum ChatRole
{
    /// <summary>Instructions that frame the conversation; only before the first user turn.</summary>
    System,

    /// <summary>The person's turn.</summary>
    User,

    /// <summary>The model's turn; the tokens the loss is computed on in supervised fine-tuning.</summary>
    Assistant,

    /// <summary>A plain-text segment of continued pre-training; every token is learnt.</summary>
    Text,
}
