namespace Hanlin.Training.Datasets;

/// <summary>One reason a dataset line was refused.</summary>
/// <param name="LineNumber">1-based line number in the file.</param>
/// <param name="Kind">The category of the problem.</param>
/// <param name="Message">A sentence a person can act on, e.g. "messages[2]: role 'assistant' follows 'assistant'".</param>
public sealed record DatasetProblem(int LineNumber, DatasetProblemKind Kind, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"line {LineNumber}: {Message}";
}
