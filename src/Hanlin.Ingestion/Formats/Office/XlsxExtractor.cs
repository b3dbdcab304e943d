using System.Globalization;
using System.Text;
using System.Xml;
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

    private const string TransitionalNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string StrictNamespace = "http://purl.oclc.org/ooxml/spreadsheetml/main";

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

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

        using var xml = XmlReader.Create(budget.Open(part), XmlSettings);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si")
            {
                if (strings.Count % CancellationCheckRows == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                strings.Add(ReadRichText(xml));
            }
        }

        return strings;
    }

    // Reads the <si>/<is> element the reader is on: plain <t> or rich-text runs <r><t>; phonetic guides
    // (<rPh>) are not part of the text. Leaves the reader on the element's end tag.
    private static string ReadRichText(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            return string.Empty;
        }

        var depth = xml.Depth;
        var phoneticDepth = -1;
        var sb = new StringBuilder();
        while (xml.Read() && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Element when xml.LocalName == "rPh" && !xml.IsEmptyElement:
                    phoneticDepth = xml.Depth;
                    break;
                case XmlNodeType.EndElement when xml.Depth == phoneticDepth:
                    phoneticDepth = -1;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace when phoneticDepth < 0:
                    sb.Append(xml.Value);
                    break;
            }
        }

        return sb.ToString();
    }

    // Worksheets are the large parts: read them with a plain XmlReader, matching SpreadsheetML elements by
    // local name (transitional and strict namespaces alike). The SDK's OpenXmlReader materialises an element
    // object per node and was several times slower here.
    private static void ReadWorksheet(
        WorksheetPart worksheet,
        SheetGrid grid,
        SpreadsheetNumberFormats formats,
        List<string> sharedStrings,
        PartReadBudget budget,
        CancellationToken cancellationToken)
    {
        using var xml = XmlReader.Create(budget.Open(worksheet), XmlSettings);
        int row = -1, nextRow = 0, column = -1, nextColumn = 0, style = 0, rowsRead = 0;
        string? type = null;
        while (xml.Read())
        {
            // Extensions (x14 sparklines, data validations) live in other namespaces and are not cells.
            if (xml.NodeType != XmlNodeType.Element || (xml.NamespaceURI != TransitionalNamespace && xml.NamespaceURI != StrictNamespace))
            {
                continue;
            }

            switch (xml.LocalName)
            {
                case "row":
                    if (++rowsRead % CancellationCheckRows == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    // r is optional: a row without it follows the previous one.
                    row = ParseIndex(xml.GetAttribute("r")) is { } r and >= 1 ? r - 1 : nextRow;
                    nextRow = row + 1;
                    nextColumn = 0;
                    break;
                case "c":
                    column = xml.GetAttribute("r") is { } reference && CellReference.TryParse(reference, out _, out var c) ? c : nextColumn;
                    nextColumn = column + 1;
                    type = xml.GetAttribute("t");
                    style = ParseIndex(xml.GetAttribute("s")) ?? 0;
                    break;
                case "v" when row >= 0 && column >= 0 && !xml.IsEmptyElement:
                    // ReadElementContentAsString leaves the reader on </c>, which the next Read passes over.
                    grid.Add(row, column, CellText(xml.ReadElementContentAsString(), type, style, formats, sharedStrings));
                    break;
                case "is" when row >= 0 && column >= 0:
                    grid.Add(row, column, ReadRichText(xml));
                    break;
                case "mergeCell" when xml.GetAttribute("ref") is { } range:
                    grid.AddMerge(range);
                    break;
            }
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

    private static int? ParseIndex(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
