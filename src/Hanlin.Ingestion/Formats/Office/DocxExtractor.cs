using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Extracts a Word document (DOCX) body in reading order: headings from paragraph styles and outline levels,
/// list items from numbering (ordered items prefixed with their label), tables as <see cref="TableBlock"/>s,
/// text inside hyperlinks, content controls and text boxes. The body is streamed one top-level paragraph or
/// table at a time; footnotes and endnotes follow as paragraphs with their own section label. The title comes
/// from the core properties. Headers and footers are not read.
/// </summary>
public sealed class DocxExtractor : IDocumentExtractor
{
    /// <summary>The section label of footnote blocks, which follow the body.</summary>
    public const string FootnotesSection = "Footnotes";

    /// <summary>The section label of endnote blocks, which follow the footnotes.</summary>
    public const string EndnotesSection = "Endnotes";

    /// <inheritdoc />
    public IReadOnlyCollection<string> MediaTypes { get; } = [Core.Documents.MediaTypes.Docx];

    /// <inheritdoc />
    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionContext context, CancellationToken cancellationToken = default) =>
        OfficeExtraction.RunAsync(content, context, "Word (.docx)", Extract, cancellationToken);

    private static ExtractedDocument Extract(Stream content, PartReadBudget budget, CancellationToken cancellationToken)
    {
        using var document = WordprocessingDocument.Open(content, false, OfficeExtraction.OpenSettings);
        var main = document.MainDocumentPart
            ?? throw new InvalidDataException("the package has no main document part");
        var styles = new WordStyleSheet(budget.LoadRoot<Styles>(main.StyleDefinitionsPart, Create));
        var numbering = new WordNumbering(budget.LoadRoot<Numbering>(main.NumberingDefinitionsPart, Create));

        var blocks = new List<DocumentBlock>();
        using (var reader = budget.Reader(main, Create))
        {
            // Top-level paragraphs and tables are loaded one at a time; wrappers around them (body, content
            // controls, custom XML) are walked through so their content keeps its place in reading order.
            var more = reader.Read();
            while (more)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.IsStartElement && (reader.ElementType == typeof(Paragraph) || reader.ElementType == typeof(Table)))
                {
                    var element = reader.LoadCurrentElement();
                    AddBlock(blocks, element, styles, numbering);
                    more = !reader.EOF;
                    continue;
                }

                more = reader.Read();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        AddNotes(blocks, budget.LoadRoot<Footnotes>(main.FootnotesPart, Create), FootnotesSection);
        AddNotes(blocks, budget.LoadRoot<Endnotes>(main.EndnotesPart, Create), EndnotesSection);
        return new ExtractedDocument(Core.Documents.MediaTypes.Docx, OfficeExtraction.Title(document), blocks);
    }

    private static void AddNotes(List<DocumentBlock> blocks, OpenXmlElement? notes, string section)
    {
        foreach (var note in notes?.Elements<FootnoteEndnoteType>() ?? [])
        {
            // Separator and continuation notes (those with a type) hold only the rule Word draws.
            if (note.Type is not null)
            {
                continue;
            }

            var text = WordText.Of(note).Trim();
            if (text.Length > 0)
            {
                blocks.Add(new DocumentBlock(BlockKind.Paragraph, text, Section: section));
            }
        }
    }

    private static OpenXmlReader Create(Stream stream, OpenXmlPartReaderOptions options) => new WordprocessingDocumentPartReader(stream, options);

    private static void AddBlock(List<DocumentBlock> blocks, OpenXmlElement? element, WordStyleSheet styles, WordNumbering numbering)
    {
        switch (element)
        {
            case Table table when WordTableReader.Read(table) is { } tableBlock:
                blocks.Add(new DocumentBlock(BlockKind.Table, string.Empty, Table: tableBlock));
                break;
            case Paragraph paragraph:
                AddParagraph(blocks, paragraph, styles, numbering);
                break;
        }
    }

    private static void AddParagraph(List<DocumentBlock> blocks, Paragraph paragraph, WordStyleSheet styles, WordNumbering numbering)
    {
        var properties = paragraph.ParagraphProperties;
        var styleId = properties?.ParagraphStyleId?.Val?.Value;
        var list = ListNumbering(properties, styleId, styles);

        // Counters advance for every numbered paragraph, empty or heading, as Word's do.
        var label = list is { } l ? numbering.NextLabel(l.NumberingId, l.Level) : null;
        var text = WordText.Of(paragraph);
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        var level = properties?.OutlineLevel?.Val?.Value is { } outline
            ? (outline is >= 0 and <= 8 ? outline + 1 : 0)
            : styles.HeadingLevel(styleId);
        if (level > 0)
        {
            blocks.Add(new DocumentBlock(BlockKind.Heading, text, HeadingLevel: Math.Min(level, 6)));
        }
        else if (list is not null)
        {
            blocks.Add(new DocumentBlock(BlockKind.ListItem, label is null ? text : $"{label} {text}"));
        }
        else
        {
            blocks.Add(new DocumentBlock(BlockKind.Paragraph, text));
        }
    }

    private static (int NumberingId, int Level)? ListNumbering(ParagraphProperties? properties, string? styleId, WordStyleSheet styles)
    {
        var direct = properties?.NumberingProperties;
        var fromStyle = styles.Numbering(styleId);
        var numberingId = direct?.NumberingId?.Val?.Value ?? fromStyle?.NumberingId;

        // numId 0 explicitly removes numbering a style would apply.
        if (numberingId is null or 0)
        {
            return null;
        }

        return (numberingId.Value, direct?.NumberingLevelReference?.Val?.Value ?? fromStyle?.Level ?? 0);
    }
}
