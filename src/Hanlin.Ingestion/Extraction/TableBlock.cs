namespace Hanlin.Ingestion.Extraction;

/// <summary>
/// A table as cells. <see cref="Header"/> is one row (multi-row or merged headers resolved into one
/// label per column, e.g. "2023 / Revenue"); every row has exactly <see cref="ColumnCount"/> cells.
/// </summary>
public sealed record TableBlock(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, string? Caption = null)
{
    public int ColumnCount => Header.Count;
}
