namespace SampleCorpus.Writers;

/// <summary>One cell of a generated sheet: text (stored as a shared string), a number, or nothing.</summary>
/// <param name="Text">Text content, or null for a numeric or empty cell.</param>
/// <param name="Number">Numeric content (a date is its serial day number), or null.</param>
/// <param name="Style">The cell format.</param>
internal sealed record XlsxCell(string? Text, double? Number, XlsxCellStyle Style)
{
    // Spreadsheet dates are days since 1899-12-30 (the 1900 date system including its leap-year quirk).
    private static readonly DateOnly SerialEpoch = new(1899, 12, 30);

    public static XlsxCell Empty { get; } = new(null, null, XlsxCellStyle.General);

    public static XlsxCell Of(string text) => new(text, null, XlsxCellStyle.Wrapped);

    public static XlsxCell Header(string text) => new(text, null, XlsxCellStyle.Header);

    /// <summary>A covered cell inside a merged header range: no value, but the header's borders and fill.</summary>
    public static XlsxCell MergedHeader { get; } = new(null, null, XlsxCellStyle.Header);

    public static XlsxCell Of(double number) => new(null, number, XlsxCellStyle.General);

    /// <summary>A fraction shown as a percentage: 0.008 displays as 0.80%.</summary>
    public static XlsxCell Percent(double fraction) => new(null, fraction, XlsxCellStyle.Percent);

    public static XlsxCell Date(int year, int month, int day) =>
        new(null, new DateOnly(year, month, day).DayNumber - SerialEpoch.DayNumber, XlsxCellStyle.Date);
}
