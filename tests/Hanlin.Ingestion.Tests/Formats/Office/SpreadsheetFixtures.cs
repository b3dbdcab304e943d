using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using S = DocumentFormat.OpenXml.Spreadsheet;

namespace Hanlin.Ingestion.Tests.Formats.Office;

/// <summary>Builds XLSX files in memory with the OpenXml SDK.</summary>
internal static class SpreadsheetFixtures
{
    // cellXfs indexes of the fixture's stylesheet.
    private const uint DateStyle = 1;
    private const uint PercentStyle = 2;
    private const uint ChineseDateStyle = 3;
    private const uint DateTimeStyle = 4;

    /// <summary>
    /// Sheet "营收" has a two-row header with merged group labels (A1:A2 药品, B1:C1 2023, D1:E1 2024), strings,
    /// numbers, a formula and an inline string; hidden sheet "日期" starts at row 3 and holds dates, a
    /// boolean, a percentage and a stray blank cell far away.
    /// </summary>
    public static MemoryStream TwoSheets()
    {
        var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            document.PackageProperties.Title = "药品营收";
            var workbookPart = document.AddWorkbookPart();
            var shared = new SharedStrings();
            AddStyles(workbookPart);

            var revenue = workbookPart.AddNewPart<WorksheetPart>();
            revenue.Worksheet = new Worksheet(
                new SheetData(
                    new Row(Shared("A1", shared, "药品"), Shared("B1", shared, "2023"), Shared("D1", shared, "2024")) { RowIndex = 1 },
                    new Row(Shared("B2", shared, "收入"), Shared("C2", shared, "成本"), Shared("D2", shared, "收入"), Shared("E2", shared, "成本")) { RowIndex = 2 },
                    new Row(
                        Shared("A3", shared, "阿司匹林"),
                        Number("B3", "1200.5"),
                        Number("C3", "800"),
                        new Cell(new CellFormula("B3+99.5"), new CellValue("1300")) { CellReference = "D3" },
                        new Cell(new InlineString(new S.Text("未披露"))) { CellReference = "E3", DataType = CellValues.InlineString })
                    { RowIndex = 3 },
                    new Row(Shared("A4", shared, "布洛芬"), Number("B4", "0.1"), Number("C4", "1E-3")) { RowIndex = 4 },
                    new Row(new Cell { CellReference = "A5", StyleIndex = DateStyle }) { RowIndex = 5 }),
                new MergeCells(
                    new MergeCell { Reference = "A1:A2" },
                    new MergeCell { Reference = "B1:C1" },
                    new MergeCell { Reference = "D1:E1" }));

            var dates = workbookPart.AddNewPart<WorksheetPart>();
            dates.Worksheet = new Worksheet(new SheetData(
                new Row(Shared("B3", shared, "药品"), Shared("C3", shared, "批准日期"), Shared("D3", shared, "有效"), Shared("E3", shared, "占比"), Shared("F3", shared, "上市"), Shared("G3", shared, "更新时间")) { RowIndex = 3 },
                new Row(
                    Shared("B4", shared, "阿司匹林"),
                    Number("C4", "45292", DateStyle),
                    new Cell(new CellValue("1")) { CellReference = "D4", DataType = CellValues.Boolean },
                    Number("E4", "0.25", PercentStyle),
                    Number("F4", "45323", ChineseDateStyle),
                    Number("G4", "45323.5", DateTimeStyle))
                { RowIndex = 4 },
                new Row(Shared("Z40", shared, " ")) { RowIndex = 40 }));

            workbookPart.AddNewPart<SharedStringTablePart>().SharedStringTable = shared.Table;
            workbookPart.Workbook = new Workbook(new Sheets(
                new Sheet { Name = "营收", SheetId = 1, Id = workbookPart.GetIdOfPart(revenue) },
                new Sheet { Name = "日期", SheetId = 2, Id = workbookPart.GetIdOfPart(dates), State = SheetStateValues.Hidden }));
        }

        stream.Position = 0;
        return stream;
    }

    /// <summary>A sheet whose table sits under a title merged across A1:C1, with a blank row between them.</summary>
    public static MemoryStream TitledTable()
    {
        var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var shared = new SharedStrings();
            var sheet = workbookPart.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(
                new SheetData(
                    new Row(Shared("A1", shared, "2024年药品销售表")) { RowIndex = 1 },
                    new Row(Shared("A3", shared, "药品"), Shared("B3", shared, "剂量"), Shared("C3", shared, "价格")) { RowIndex = 3 },
                    new Row(Shared("A4", shared, "阿司匹林"), Shared("B4", shared, "100mg"), Number("C4", "12.5")) { RowIndex = 4 }),
                new MergeCells(new MergeCell { Reference = "A1:C1" }));
            workbookPart.AddNewPart<SharedStringTablePart>().SharedStringTable = shared.Table;
            workbookPart.Workbook = new Workbook(new Sheets(new Sheet { Name = "Sheet1", SheetId = 1, Id = workbookPart.GetIdOfPart(sheet) }));
        }

        stream.Position = 0;
        return stream;
    }

    /// <summary>One sheet of <paramref name="rows"/> data rows (6 columns: text, numbers, a date), written with OpenXmlWriter.</summary>
    public static MemoryStream Large(int rows)
    {
        var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            AddStyles(workbookPart);
            var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(sheetPart))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetData());
                writer.WriteElement(new Row(
                    Inline("编号"), Inline("药品"), Inline("剂量"), Inline("价格"), Inline("日期"), Inline("备注")));
                for (var i = 0; i < rows; i++)
                {
                    writer.WriteElement(new Row(
                        new Cell(new CellValue(i.ToString(CultureInfo.InvariantCulture))),
                        Inline($"阿司匹林 {i % 97}"),
                        new Cell(new CellValue("100")),
                        new Cell(new CellValue((i * 0.37).ToString(CultureInfo.InvariantCulture))),
                        new Cell(new CellValue((45000 + (i % 365)).ToString(CultureInfo.InvariantCulture))) { StyleIndex = DateStyle },
                        Inline("每日一次，饭后服用")));
                }

                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            workbookPart.Workbook = new Workbook(new Sheets(new Sheet { Name = "Data", SheetId = 1, Id = workbookPart.GetIdOfPart(sheetPart) }));
        }

        stream.Position = 0;
        return stream;
    }

    private static Cell Inline(string text) => new(new InlineString(new S.Text(text))) { DataType = CellValues.InlineString };

    private static Cell Shared(string reference, SharedStrings shared, string text) =>
        new(new CellValue(shared.IndexOf(text).ToString(CultureInfo.InvariantCulture))) { CellReference = reference, DataType = CellValues.SharedString };

    private static Cell Number(string reference, string value, uint style = 0) =>
        new(new CellValue(value)) { CellReference = reference, StyleIndex = style == 0 ? null : style };

    private static void AddStyles(WorkbookPart workbookPart)
    {
        workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy\"年\"m\"月\"d\"日\"" }),
            new Fonts(new Font()),
            new Fills(new Fill()),
            new Borders(new Border()),
            new CellFormats(
                new CellFormat { NumberFormatId = 0 },
                new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 10, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 22, ApplyNumberFormat = true }));
    }

    private sealed class SharedStrings
    {
        private readonly Dictionary<string, int> _indexes = [];

        public SharedStringTable Table { get; } = new();

        public int IndexOf(string text)
        {
            if (!_indexes.TryGetValue(text, out var index))
            {
                index = _indexes.Count;
                _indexes[text] = index;
                Table.Append(new SharedStringItem(new S.Text(text) { Space = SpaceProcessingModeValues.Preserve }));
            }

            return index;
        }
    }
}
