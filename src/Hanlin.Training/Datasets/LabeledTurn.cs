namespace Hanlin.Training.Datasets;

/// <summary>A turn with the JSON path it came from (<c>messages[2]</c>, <c>output</c>), for problem messages.</summary>
internal readonly record struct LabeledTurn(string Label, TrainingMessage Message);
