namespace Hanlin.Ingestion.Formats.Office;

/// <summary>How a spreadsheet number cell is displayed, as far as its text representation is concerned.</summary>
internal enum NumberKind
{
    Number,
    Percent,
    Date,
    DateTime,
    Time,
}
