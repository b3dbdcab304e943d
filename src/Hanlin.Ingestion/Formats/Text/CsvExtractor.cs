using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Text;

/// <summary>
/// CSV/TSV (RFC 4180 quoting) into one <see cref="TableBlock"/>. The delimiter (comma, semicolon or tab) is
/// the one used consistently on the first records (tab preferred for <c>.tsv</c>); the first record is the
/// header; short rows are padded, and a row longer than the header adds "Column N" headers.
/// </summary>
public sealed class CsvExtractor : IDocumentExtractor
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> MediaTypes { get; } = [Core.Documents.MediaTypes.Csv];

    /// <inheritdoc />
    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionContext context, CancellationToken cancellationToken = default)
    {
        var text = TextInput.Read(content, context, cancellationToken);
        var preferred = context.FileName.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';
        var delimiter = CsvParser.DetectDelimiter(text, isWhole: true, out _, preferred);
        var records = CsvParser.Parse(text, delimiter == '\0' ? preferred : delimiter, cancellationToken);
        var blocks = new List<DocumentBlock>();
        if (records.Count > 0)
        {
            var columns = records.Max(r => r.Count);
            var header = new string[columns];
            for (var c = 0; c < columns; c++)
            {
                header[c] = c < records[0].Count ? records[0][c].Trim() : $"Column {c + 1}";
            }

            var rows = new List<IReadOnlyList<string>>(records.Count - 1);
            for (var r = 1; r < records.Count; r++)
            {
                var record = records[r];
                while (record.Count < columns)
                {
                    record.Add(string.Empty);
                }

                rows.Add(record);
            }

            blocks.Add(new DocumentBlock(BlockKind.Table, string.Empty, Table: new TableBlock(header, rows)));
        }

        var title = Path.GetFileNameWithoutExtension(context.FileName);
        return Task.FromResult(new ExtractedDocument(Core.Documents.MediaTypes.Csv, string.IsNullOrWhiteSpace(title) ? null : title, blocks));
    }
}
