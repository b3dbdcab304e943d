using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Presentation;
using Hanlin.Ingestion.Extraction;
using A = DocumentFormat.OpenXml.Drawing;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Extracts a PowerPoint presentation (PPTX): slides in presentation order with <see cref="DocumentBlock.Page"/>
/// = slide number. The title placeholder becomes a level-1 heading; other text frames become paragraphs or
/// list items (bulleted paragraphs), tables become <see cref="TableBlock"/>s, all ordered top-to-bottom then
/// left-to-right; speaker notes follow as paragraphs with <see cref="DocumentBlock.Section"/> = "Notes".
/// Slide numbers, dates, headers and footers are skipped.
/// </summary>
public sealed class PptxExtractor : IDocumentExtractor
{
    /// <summary>The section label of speaker-notes blocks.</summary>
    public const string NotesSection = "Notes";

    private static readonly HashSet<string> SkippedPlaceholders = new(StringComparer.Ordinal) { "sldImg", "sldNum", "hdr", "ftr", "dt" };

    /// <inheritdoc />
    public IReadOnlyCollection<string> MediaTypes { get; } = [Core.Documents.MediaTypes.Pptx];

    /// <inheritdoc />
    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionContext context, CancellationToken cancellationToken = default) =>
        OfficeExtraction.RunAsync(content, context, "PowerPoint (.pptx)", Extract, cancellationToken);

    private static ExtractedDocument Extract(Stream content, PartReadBudget budget, CancellationToken cancellationToken)
    {
        using var document = PresentationDocument.Open(content, false, OfficeExtraction.OpenSettings);
        var presentationPart = document.PresentationPart
            ?? throw new InvalidDataException("the package has no presentation part");
        var presentation = budget.LoadRoot<Presentation>(presentationPart, Create)
            ?? throw new InvalidDataException("the presentation part is empty");

        var blocks = new List<DocumentBlock>();
        var layouts = new Dictionary<Uri, PlaceholderPositions>();
        var slideNumber = 0;
        foreach (var slideId in presentation.SlideIdList?.Elements<SlideId>() ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (slideId.RelationshipId?.Value is not { } id || !presentationPart.TryGetPartById(id, out var part) || part is not SlidePart slidePart)
            {
                continue;
            }

            slideNumber++;
            var slide = budget.LoadRoot<Slide>(slidePart, Create);
            var positions = LayoutPositions(slidePart.SlideLayoutPart, layouts, budget);
            AddShapes(blocks, slide?.CommonSlideData?.ShapeTree, positions, slideNumber, section: null);

            var notes = budget.LoadRoot<NotesSlide>(slidePart.NotesSlidePart, Create);
            AddShapes(blocks, notes?.CommonSlideData?.ShapeTree, positions: null, slideNumber, NotesSection);
        }

        return new ExtractedDocument(Core.Documents.MediaTypes.Pptx, OfficeExtraction.Title(document), blocks, PageCount: slideNumber);
    }

    private static OpenXmlReader Create(Stream stream, OpenXmlPartReaderOptions options) => new PresentationDocumentPartReader(stream, options);

    private static PlaceholderPositions? LayoutPositions(SlideLayoutPart? layoutPart, Dictionary<Uri, PlaceholderPositions> cache, PartReadBudget budget)
    {
        if (layoutPart is null)
        {
            return null;
        }

        if (!cache.TryGetValue(layoutPart.Uri, out var positions))
        {
            var masterPart = layoutPart.SlideMasterPart;
            PlaceholderPositions? master = null;
            if (masterPart is not null && !cache.TryGetValue(masterPart.Uri, out master))
            {
                master = new PlaceholderPositions(budget.LoadRoot<SlideMaster>(masterPart, Create)?.CommonSlideData?.ShapeTree, null);
                cache[masterPart.Uri] = master;
            }

            positions = new PlaceholderPositions(budget.LoadRoot<SlideLayout>(layoutPart, Create)?.CommonSlideData?.ShapeTree, master);
            cache[layoutPart.Uri] = positions;
        }

        return positions;
    }

    private static void AddShapes(List<DocumentBlock> blocks, OpenXmlElement? tree, PlaceholderPositions? positions, int slide, string? section)
    {
        if (tree is null)
        {
            return;
        }

        // Titles lead the slide; the rest reads top-to-bottom, then left-to-right, ties in file order.
        var titles = new List<Shape>();
        var others = new List<(long Y, long X, int Order, OpenXmlElement Element)>();
        var order = 0;
        foreach (var element in Flatten(tree))
        {
            if (element is Shape shape && shape.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape is { } placeholder)
            {
                var type = PlaceholderPositions.TypeOf(placeholder);
                if (SkippedPlaceholders.Contains(type))
                {
                    continue;
                }

                if (section is null && type is "title" or "ctrTitle")
                {
                    titles.Add(shape);
                    continue;
                }
            }

            var position = PlaceholderPositions.OffsetOf(element) ?? PlaceholderPosition(element, positions) ?? (long.MaxValue, long.MaxValue);
            others.Add((position.Y, position.X, order++, element));
        }

        foreach (var title in titles)
        {
            var text = string.Join(' ', (title.TextBody?.Elements<A.Paragraph>() ?? []).Select(SlideText.Of).Where(t => !string.IsNullOrWhiteSpace(t)));
            if (!string.IsNullOrWhiteSpace(text))
            {
                blocks.Add(new DocumentBlock(BlockKind.Heading, text, slide, HeadingLevel: 1));
            }
        }

        foreach (var (_, _, _, element) in others.OrderBy(o => o.Y).ThenBy(o => o.X).ThenBy(o => o.Order))
        {
            switch (element)
            {
                case Shape shape:
                    AddTextFrame(blocks, shape, slide, section);
                    break;
                case GraphicFrame frame when frame.Graphic?.GraphicData?.GetFirstChild<A.Table>() is { } table && SlideTableReader.Read(table) is { } tableBlock:
                    blocks.Add(new DocumentBlock(BlockKind.Table, string.Empty, slide, Table: tableBlock, Section: section));
                    break;
            }
        }
    }

    // Group members are read as part of the slide; in mc:AlternateContent only the first branch counts.
    private static IEnumerable<OpenXmlElement> Flatten(OpenXmlElement container)
    {
        foreach (var child in container.ChildElements)
        {
            switch (child)
            {
                case Shape or GraphicFrame:
                    yield return child;
                    break;
                case GroupShape group:
                    foreach (var member in Flatten(group))
                    {
                        yield return member;
                    }

                    break;
                case AlternateContent alternate:
                    var branch = (OpenXmlElement?)alternate.GetFirstChild<AlternateContentChoice>() ?? alternate.GetFirstChild<AlternateContentFallback>();
                    foreach (var member in branch is null ? [] : Flatten(branch))
                    {
                        yield return member;
                    }

                    break;
            }
        }
    }

    private static (long X, long Y)? PlaceholderPosition(OpenXmlElement element, PlaceholderPositions? positions) =>
        element is Shape shape && shape.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape is { } placeholder
            ? positions?.Find(placeholder)
            : null;

    private static void AddTextFrame(List<DocumentBlock> blocks, Shape shape, int slide, string? section)
    {
        if (shape.TextBody is not { } body)
        {
            return;
        }

        // Body placeholders are bulleted by the master's text styles unless a paragraph says buNone.
        var placeholder = shape.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape;
        var bulletedByDefault = section is null && placeholder is not null && PlaceholderPositions.TypeOf(placeholder) is "body" or "obj";
        var counters = new Dictionary<int, int>();
        foreach (var paragraph in body.Elements<A.Paragraph>())
        {
            var text = SlideText.Of(paragraph);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var properties = paragraph.ParagraphProperties;
            var level = properties?.Level?.Value ?? 0;
            var autoNumber = properties?.GetFirstChild<A.AutoNumberedBullet>();
            var bulleted = autoNumber is not null || properties?.GetFirstChild<A.CharacterBullet>() is not null
                || (bulletedByDefault && properties?.GetFirstChild<A.NoBullet>() is null);
            if (!bulleted)
            {
                blocks.Add(new DocumentBlock(BlockKind.Paragraph, text, slide, Section: section));
                continue;
            }

            string? label = null;
            if (autoNumber is not null)
            {
                var number = counters.TryGetValue(level, out var current) ? current + 1 : autoNumber.StartAt?.Value ?? 1;
                counters[level] = number;
                label = ArabicLabel(autoNumber.Type?.InnerText, number);
            }

            blocks.Add(new DocumentBlock(BlockKind.ListItem, label is null ? text : $"{label} {text}", slide, Section: section));
        }
    }

    // Only the Arabic-numeral schemes are rendered; other schemes (letters, roman, CJK) go unlabelled.
    private static string? ArabicLabel(string? scheme, int number)
    {
        var n = number.ToString(CultureInfo.InvariantCulture);
        return scheme switch
        {
            "arabicPeriod" => n + ".",
            "arabicParenR" => n + ")",
            "arabicParenBoth" => $"({n})",
            "arabicPlain" => n,
            _ => null,
        };
    }
}
