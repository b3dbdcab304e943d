namespace SampleCorpus.Writers;

/// <summary>One worksheet of a generated workbook.</summary>
/// <param name="Name">Sheet tab name.</param>
/// <param name="ColumnWidths">Column widths in characters, left to right.</param>
/// <param name="Rows">Rows of cells from row 1; a null cell is left out of the sheet.</param>
/// <param name="Merges">Merged ranges such as "A1:B1"; the value lives in the top-left cell.</param>
internal sealed record XlsxSheet(string Name, IReadOnlyList<double> ColumnWidths, IReadOnlyList<IReadOnlyList<XlsxCell>> Rows, IReadOnlyList<string> Merges);
