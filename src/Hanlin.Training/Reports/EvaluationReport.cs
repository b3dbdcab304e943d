using Hanlin.Training.Datasets;
using Hanlin.Training.Evaluation;

namespace Hanlin.Training.Reports;

/// <summary>An evaluation of a model (optionally with an adapter) on a dataset, with the curves of the run that trained it.</summary>
/// <param name="Model">The base model evaluated (its path or name).</param>
/// <param name="Adapter">The adapter applied, or null.</param>
/// <param name="Dataset">The dataset file.</param>
/// <param name="Format">The dataset's format.</param>
/// <param name="CreatedAt">When the evaluation finished.</param>
/// <param name="Result">The metrics.</param>
/// <param name="Training">The training run's metrics records (empty when no run was given).</param>
public sealed record EvaluationReport(
    string Model,
    string? Adapter,
    string Dataset,
    DatasetFormat Format,
    DateTimeOffset CreatedAt,
    ModelEvaluationResult Result,
    IReadOnlyList<TrainingMetricsRecord> Training);
