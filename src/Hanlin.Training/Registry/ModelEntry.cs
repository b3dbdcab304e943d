namespace Hanlin.Training.Registry;

/// <summary>One registered model version.</summary>
/// <param name="Id">Registry id, <c>mdl_...</c>.</param>
/// <param name="Name">The model's name.</param>
/// <param name="Version">1-based version within <paramref name="Name"/>.</param>
/// <param name="Kind">What the directory holds.</param>
/// <param name="Directory">Absolute path of the model directory.</param>
/// <param name="BaseModelId">Registry id of the base model, if any.</param>
/// <param name="DatasetSha256">SHA-256 of the training dataset, if any.</param>
/// <param name="HyperparametersJson">Hyperparameters as a JSON object, if any.</param>
/// <param name="MetricsJson">Metrics as a JSON object, if any.</param>
/// <param name="JobId">The job that made it, if any.</param>
/// <param name="Status">Lifecycle status.</param>
/// <param name="CreatedAt">When it was registered (UTC).</param>
/// <param name="Files">Every file of the directory at registration, ordered by path.</param>
public sealed record ModelEntry(
    string Id,
    string Name,
    int Version,
    ModelKind Kind,
    string Directory,
    string? BaseModelId,
    string? DatasetSha256,
    string? HyperparametersJson,
    string? MetricsJson,
    string? JobId,
    ModelStatus Status,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ModelFileChecksum> Files)
{
    /// <summary>Total size of the files in bytes.</summary>
    public long SizeBytes => Files.Sum(f => f.SizeBytes);
}
