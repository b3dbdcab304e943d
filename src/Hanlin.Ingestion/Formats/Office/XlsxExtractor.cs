using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Extracts an Excel workbook (XLSX): every worksheet in workbook order, hidden ones included, becomes one
/// <see cref="BlockKind.Table"/> block with <see cref="DocumentBlock.Section"/> = the sheet name. Cells read
/// as displayed: shared and inline strings, numbers (General, 15 digits), booleans, dates as ISO
/// yyyy-MM-dd, formulas by their cached value. Merged ranges take their top-left value; empty rows and columns
/// are dropped. Worksheets are streamed cell by cell (no DOM), so memory grows only with the kept text.
/// </summary>
public sealed class XlsxExtractor : IDocumentExtractor
{
    private const int CancellationCheckRows = 1024;

    /// <inheritdoc />
    public IReadOnlyCollection<string> MediaTypes { get; } = [Core.Documents.MediaTypes.Xlsx];

    /// <inheritdoc />
    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionContext context, CancellationToken cancellationToken = default) =>
        OfficeExtraction.RunAsync(content, context, "Excel (.xlsx)", Extract, cancellationToken);

    private static ExtractedDocument Extract(Stream content, PartReadBudget budget, CancellationToken cancellationToken)
    {
        using var document = SpreadsheetDocument.Open(content, false, OfficeExtraction.OpenSettings);
        var workbookPart = document.WorkbookPart
            ?? throw new InvalidDataException("the package has no workbook part");
        var workbook = budget.LoadRoot<Workbook>(workbookPart, Create)
            ?? throw new InvalidDataException("the workbook part is empty");
        var formats = new SpreadsheetNumberFormats(
            budget.LoadRoot<Stylesheet>(workbookPart.WorkbookStylesPart, Create),
            workbook.WorkbookProperties?.Date1904?.Value == true);
        var sharedStrings = ReadSharedStrings(workbookPart.SharedStringTablePart, budget, cancellationToken);

        var blocks = new List<DocumentBlock>();
        foreach (var sheet in workbook.Sheets?.Elements<Sheet>() ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = sheet.Name?.Value ?? string.Empty;
            if (sheet.Id?.Value is not { } id || !workbookPart.TryGetPartById(id, out var part) || part is not WorksheetPart worksheet)
            {
                // Chart sheets and dangling references carry no cells.
                continue;
            }

            var grid = new SheetGrid(budget.FileName, name);
            ReadWorksheet(worksheet, grid, formats, sharedStrings, budget, cancellationToken);
            if (grid.ToTable() is { } table)
            {
                blocks.Add(new DocumentBlock(BlockKind.Table, string.Empty, Table: table, Section: name));
            }
        }

        return new ExtractedDocument(Core.Documents.MediaTypes.Xlsx, OfficeExtraction.Title(document), blocks);
    }

    private static OpenXmlReader Create(Stream stream, OpenXmlPartReaderOptions options) => new SpreadsheetDocumentPartReader(stream, options);

    private static List<string> ReadSharedStrings(SharedStringTablePart? part, PartReadBudget budget, CancellationToken cancellationToken)
    {
        var strings = new List<string>();
        if (part is null)
        {
            return strings;
        }

        using var reader = budget.Reader(part, Create);
        var more = reader.Read();
        while (more)
        {
            if (reader.IsStartElement && reader.ElementType == typeof(SharedStringItem))
            {
                if (strings.Count % CancellationCheckRows == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                strings.Add(RichText(reader.LoadCurrentElement()));
                more = !reader.EOF;
                continue;
            }

            more = reader.Read();
        }

        return strings;
    }

    // A shared or inline string is plain <t> or rich-text runs <r><t>; phonetic guides (<rPh>) are not text.
    private static string RichText(OpenXmlElement? item)
    {
        if (item is null)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        foreach (var child in item.ChildElements)
        {
            switch (child)
            {
                case Text text:
                    sb.Append(text.Text);
                    break;
                case Run run:
                    sb.Append(run.Text?.Text);
                    break;
            }
        }

        return sb.ToString();
    }

    private static void ReadWorksheet(
        WorksheetPart worksheet,
        SheetGrid grid,
        SpreadsheetNumberFormats formats,
        List<string> sharedStrings,
        PartReadBudget budget,
        CancellationToken cancellationToken)
    {
        using var reader = budget.Reader(worksheet, Create);
        int row = -1, nextRow = 0, column = -1, nextColumn = 0, style = 0, rowsRead = 0;
        string? type = null;
        var more = reader.Read();
        while (more)
        {
            if (!reader.IsStartElement)
            {
                more = reader.Read();
                continue;
            }

            var elementType = reader.ElementType;
            if (elementType == typeof(Row))
            {
                if (++rowsRead % CancellationCheckRows == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                // r is optional: a row without it follows the previous one.
                row = ParseIndex(Attribute(reader, "r")) is { } r and >= 1 ? r - 1 : nextRow;
                nextRow = row + 1;
                nextColumn = 0;
            }
            else if (elementType == typeof(Cell))
            {
                column = Attribute(reader, "r") is { } reference && CellReference.TryParse(reference, out _, out var c) ? c : nextColumn;
                nextColumn = column + 1;
                type = Attribute(reader, "t");
                style = ParseIndex(Attribute(reader, "s")) ?? 0;
            }
            else if (elementType == typeof(CellValue) && row >= 0 && column >= 0)
            {
                grid.Add(row, column, CellText(reader.GetText(), type, style, formats, sharedStrings));
            }
            else if (elementType == typeof(InlineString) && row >= 0 && column >= 0)
            {
                grid.Add(row, column, RichText(reader.LoadCurrentElement()));
                more = !reader.EOF;
                continue;
            }
            else if (elementType == typeof(MergeCell) && Attribute(reader, "ref") is { } range)
            {
                grid.AddMerge(range);
            }

            more = reader.Read();
        }
    }

    private static string CellText(string raw, string? type, int style, SpreadsheetNumberFormats formats, List<string> sharedStrings) => type switch
    {
        "s" => ParseIndex(raw) is { } index && index < sharedStrings.Count ? sharedStrings[index] : string.Empty,
        "b" => raw.Trim() == "1" ? "TRUE" : "FALSE",
        "str" or "e" or "inlineStr" => raw,
        "d" => SpreadsheetNumberFormats.FormatIsoDate(raw),
        _ => formats.FormatNumber(raw, style),
    };

    private static string? Attribute(OpenXmlReader reader, string localName)
    {
        foreach (var attribute in reader.Attributes)
        {
            if (attribute.LocalName == localName && string.IsNullOrEmpty(attribute.NamespaceUri))
            {
                return attribute.Value;
            }
        }

        return null;
    }

    private static int? ParseIndex(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
