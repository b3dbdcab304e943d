namespace Hanlin.Training.Registry;

/// <summary>What <see cref="ModelRegistry.RegisterAsync"/> records; the version and file checksums are computed.</summary>
public sealed record ModelRegistration
{
    /// <summary>The model's name; versions are numbered per name from 1.</summary>
    public required string Name { get; init; }

    /// <summary>What the directory holds.</summary>
    public required ModelKind Kind { get; init; }

    /// <summary>The model directory; every file under it is hashed and recorded.</summary>
    public required string Directory { get; init; }

    /// <summary>Registry id of the base model (adapters and merged models).</summary>
    public string? BaseModelId { get; init; }

    /// <summary>Lowercase hex SHA-256 of the training dataset file.</summary>
    public string? DatasetSha256 { get; init; }

    /// <summary>Hyperparameters as a JSON object (learning rate, rank, alpha, ...).</summary>
    public string? HyperparametersJson { get; init; }

    /// <summary>Evaluation metrics as a JSON object (perplexity, BLEU, ...).</summary>
    public string? MetricsJson { get; init; }

    /// <summary>The training job that produced the model.</summary>
    public string? JobId { get; init; }
}
