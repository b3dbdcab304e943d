namespace Hanlin.Training.Datasets;

/// <summary>The three parts of a split dataset, each in input order.</summary>
public sealed record SplitResult(IReadOnlyList<TrainingExample> Train, IReadOnlyList<TrainingExample> Validation, IReadOnlyList<TrainingExample> Test);
