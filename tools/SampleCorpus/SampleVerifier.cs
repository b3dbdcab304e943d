using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Spreadsheet;
using UglyToad.PdfPig;
using Word = DocumentFormat.OpenXml.Wordprocessing;

namespace SampleCorpus;

/// <summary>Opens each generated file with the same libraries the ingestion extractors use and prints what they see.</summary>
internal static class SampleVerifier
{
    public static string Describe(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".docx" => DescribeDocx(path),
            ".xlsx" => DescribeXlsx(path),
            ".pdf" => DescribePdf(path),
            _ => throw new ArgumentException($"No verifier for {path}.", nameof(path)),
        };

    /// <summary>All text of a sample file, as plainly as the libraries give it, for checking gold answers.</summary>
    public static string ExtractText(string path)
    {
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".docx":
                using (var document = WordprocessingDocument.Open(path, isEditable: false))
                {
                    return string.Join('\n', document.MainDocumentPart!.Document!.Body!.Descendants<Word.Paragraph>().Select(p => p.InnerText));
                }

            case ".xlsx":
                using (var document = SpreadsheetDocument.Open(path, isEditable: false))
                {
                    var strings = document.WorkbookPart!.SharedStringTablePart!.SharedStringTable!.Elements<SharedStringItem>().Select(item => item.InnerText);
                    var numbers = document.WorkbookPart.WorksheetParts.SelectMany(part => part.Worksheet!.Descendants<Cell>())
                        .Where(cell => cell.DataType is null && cell.CellValue is not null)
                        .Select(cell => cell.CellValue!.Text);
                    return string.Join('\n', strings.Concat(numbers));
                }

            case ".pdf":
                using (var document = PdfDocument.Open(path))
                {
                    return string.Join('\n', document.GetPages().Select(page => string.Join(' ', page.GetWords().Select(word => word.Text))));
                }

            default:
                return File.ReadAllText(path);
        }
    }

    private static string DescribeDocx(string path)
    {
        using var document = WordprocessingDocument.Open(path, isEditable: false);
        ThrowIfInvalid(path, document);
        var body = document.MainDocumentPart?.Document?.Body ?? throw new InvalidDataException($"{path} has no body.");
        var paragraphs = body.Elements<Word.Paragraph>().ToList();
        var headings = paragraphs.Count(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value?.StartsWith("Heading", StringComparison.Ordinal) == true);
        var listItems = paragraphs.Count(p => p.ParagraphProperties?.NumberingProperties is not null);
        var tables = body.Elements<Word.Table>().Count();
        var chars = body.InnerText.Length;
        return $"{paragraphs.Count} paragraphs, {headings} headings, {listItems} list items, {tables} tables, {chars} chars";
    }

    private static string DescribeXlsx(string path)
    {
        using var document = SpreadsheetDocument.Open(path, isEditable: false);
        ThrowIfInvalid(path, document);
        var workbookPart = document.WorkbookPart ?? throw new InvalidDataException($"{path} has no workbook.");
        var parts = new List<string>();
        foreach (var sheet in workbookPart.Workbook?.Sheets?.Elements<Sheet>() ?? [])
        {
            var worksheet = ((WorksheetPart)workbookPart.GetPartById(sheet.Id!.Value!)).Worksheet!;
            var rows = worksheet.Descendants<Row>().Count();
            var merges = worksheet.Descendants<MergeCell>().Count();
            parts.Add($"'{sheet.Name}': {rows} rows, {merges} merged ranges");
        }

        var strings = workbookPart.SharedStringTablePart?.SharedStringTable?.Count() ?? 0;
        return $"{string.Join("; ", parts)}; {strings} shared strings";
    }

    private static void ThrowIfInvalid(string path, OpenXmlPackage package)
    {
        // Schema validation catches element-order and attribute mistakes that Word and Excel would refuse.
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(package).Take(5).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidDataException($"{path} is not valid Open XML: {string.Join("; ", errors.Select(e => $"{e.Path?.XPath}: {e.Description}"))}");
        }
    }

    private static string DescribePdf(string path)
    {
        using var document = PdfDocument.Open(path);
        var pages = document.GetPages().Select(page => page.Text).ToList();
        var firstWords = string.Join(' ', document.GetPage(1).GetWords().Take(8).Select(word => word.Text));
        return $"{pages.Count} pages, {pages.Sum(text => text.Length)} chars, starts \"{firstWords}\"";
    }
}
