namespace Hanlin.Training.Datasets;

/// <summary>How <see cref="DatasetReader"/> reads and validates a dataset file.</summary>
public sealed record DatasetReadOptions
{
    /// <summary>The file's format, or <see cref="DatasetFormat.Auto"/> to detect it.</summary>
    public DatasetFormat Format { get; init; } = DatasetFormat.Auto;

    /// <summary>When true, any problem refuses the whole dataset (<c>dataset_invalid</c>); otherwise bad lines are reported and skipped.</summary>
    public bool Strict { get; init; }

    /// <summary>Longest allowed turn in characters (Unicode scalar values); null for no limit.</summary>
    public int? MaxTurnCharacters { get; init; }

    /// <summary>Longest allowed turn in tokens of <see cref="TokenCounter"/>; null for no limit.</summary>
    public int? MaxTurnTokens { get; init; }

    /// <summary>Counts tokens for <see cref="MaxTurnTokens"/>; null uses <see cref="Cl100kTokenCounter"/>.</summary>
    public ITokenCounter? TokenCounter { get; init; }

    /// <summary>How a plain-text file is cut into documents.</summary>
    public TextDocumentSplit TextSplit { get; init; } = TextDocumentSplit.BlankLines;

    /// <summary>How many problems an error message lists before "and N more".</summary>
    public int ProblemsInMessage { get; init; } = 10;
}
