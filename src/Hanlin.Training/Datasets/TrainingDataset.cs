namespace Hanlin.Training.Datasets;

/// <summary>A dataset file as read: the valid examples and every problem found, in line order.</summary>
/// <param name="Path">The file read.</param>
/// <param name="Format">The format used (detected when <see cref="DatasetFormat.Auto"/> was asked).</param>
/// <param name="Examples">Valid examples in file order; lines with any problem are left out.</param>
/// <param name="Problems">Every problem of every refused line, in line order (a line can have several).</param>
/// <param name="LinesRead">Lines in the file, blank ones included.</param>
public sealed record TrainingDataset(
    string Path,
    DatasetFormat Format,
    IReadOnlyList<TrainingExample> Examples,
    IReadOnlyList<DatasetProblem> Problems,
    int LinesRead)
{
    /// <summary>Number of distinct lines with at least one problem.</summary>
    public int RefusedLines => Problems.Select(p => p.LineNumber).Distinct().Count();
}
