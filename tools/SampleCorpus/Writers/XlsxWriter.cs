using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace SampleCorpus.Writers;

/// <summary>
/// Writes a small workbook the way spreadsheet applications do: text in the shared-string table, dates as
/// serial numbers with a date number format, merged header cells, and a stylesheet with the formats used.
/// </summary>
internal static class XlsxWriter
{
    private const uint IsoDateFormatId = 164;
    private const string MainContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";

    public static byte[] Write(string title, IReadOnlyList<XlsxSheet> sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            // Relationship ids are given explicitly throughout: the defaults are random and would make every
            // regeneration differ.
            var workbookPart = document.AddNewPart<WorkbookPart>(MainContentType, CoreProperties.MainPartRelationshipId);
            CoreProperties.Add(document, title);
            workbookPart.AddNewPart<WorkbookStylesPart>("rId1").Stylesheet = BuildStylesheet();
            var sharedStrings = new SharedStringIndex();
            var sheetList = new Sheets();
            for (var i = 0; i < sheets.Count; i++)
            {
                var sheetPart = workbookPart.AddNewPart<WorksheetPart>($"rId{i + 3}");
                sheetPart.Worksheet = BuildWorksheet(sheets[i], sharedStrings);
                sheetList.Append(new Sheet { Name = sheets[i].Name, SheetId = (uint)(i + 1), Id = workbookPart.GetIdOfPart(sheetPart) });
            }

            workbookPart.AddNewPart<SharedStringTablePart>("rId2").SharedStringTable = sharedStrings.ToTable();
            workbookPart.Workbook = new Workbook(sheetList);
        }

        return ZipNormalizer.Normalize(stream.ToArray());
    }

    private static Worksheet BuildWorksheet(XlsxSheet sheet, SharedStringIndex sharedStrings)
    {
        var columns = new Columns();
        for (var c = 0; c < sheet.ColumnWidths.Count; c++)
        {
            columns.Append(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = sheet.ColumnWidths[c], CustomWidth = true });
        }

        var data = new SheetData();
        for (var r = 0; r < sheet.Rows.Count; r++)
        {
            var rowIndex = (uint)(r + 1);
            var row = new Row { RowIndex = rowIndex };
            var cells = sheet.Rows[r];
            for (var c = 0; c < cells.Count; c++)
            {
                var value = cells[c];
                var cell = new Cell { CellReference = $"{ColumnName(c)}{rowIndex}", StyleIndex = (uint)value.Style };
                if (value.Text is not null)
                {
                    cell.DataType = CellValues.SharedString;
                    cell.CellValue = new CellValue(sharedStrings.IndexOf(value.Text).ToString(CultureInfo.InvariantCulture));
                }
                else if (value.Number is { } number)
                {
                    cell.CellValue = new CellValue(number.ToString("R", CultureInfo.InvariantCulture));
                }

                row.Append(cell);
            }

            data.Append(row);
        }

        var worksheet = new Worksheet(columns, data);
        if (sheet.Merges.Count > 0)
        {
            worksheet.Append(new MergeCells(sheet.Merges.Select(range => new MergeCell { Reference = range })) { Count = (uint)sheet.Merges.Count });
        }

        return worksheet;
    }

    private static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static Stylesheet BuildStylesheet() =>
        new(
            new NumberingFormats(new NumberingFormat { NumberFormatId = IsoDateFormatId, FormatCode = "yyyy-mm-dd" }) { Count = 1U },
            new Fonts(
                new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }))
            { Count = 2U },
            // Fill 1 (gray125) is reserved by the format; fill 2 shades header cells.
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFD9E1F2" }) { PatternType = PatternValues.Solid }))
            { Count = 3U },
            new Borders(
                new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()),
                new Border(
                    new LeftBorder { Style = BorderStyleValues.Thin },
                    new RightBorder { Style = BorderStyleValues.Thin },
                    new TopBorder { Style = BorderStyleValues.Thin },
                    new BottomBorder { Style = BorderStyleValues.Thin },
                    new DiagonalBorder()))
            { Count = 2U },
            new CellFormats(
                new CellFormat { FontId = 0, FillId = 0, BorderId = 0, NumberFormatId = 0 },
                new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true })
                { FontId = 1, FillId = 2, BorderId = 1, NumberFormatId = 0, ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true },
                new CellFormat { FontId = 0, FillId = 0, BorderId = 1, NumberFormatId = IsoDateFormatId, ApplyNumberFormat = true, ApplyBorder = true },
                // Built-in format 10 is "0.00%".
                new CellFormat { FontId = 0, FillId = 0, BorderId = 1, NumberFormatId = 10, ApplyNumberFormat = true, ApplyBorder = true },
                new CellFormat(new Alignment { Vertical = VerticalAlignmentValues.Top, WrapText = true })
                { FontId = 0, FillId = 0, BorderId = 1, NumberFormatId = 0, ApplyBorder = true, ApplyAlignment = true })
            { Count = 5U });
}
