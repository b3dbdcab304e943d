using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace SampleCorpus.Writers;

/// <summary>
/// Writes a small Word document with real paragraph styles (Heading1, Heading2 in styles.xml), real list
/// numbering (numbering.xml) and grid tables, so extractors see the structure a word processor would write.
/// </summary>
internal static class DocxWriter
{
    private const int DecimalAbstractNumId = 1;
    private const int BulletAbstractNumId = 2;
    private const string MainContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

    public static byte[] Write(string title, IReadOnlyList<DocxBlock> blocks)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            // Relationship ids are given explicitly throughout: the defaults are random and would make every
            // regeneration differ.
            var main = document.AddNewPart<MainDocumentPart>(MainContentType, CoreProperties.MainPartRelationshipId);
            CoreProperties.Add(document, title);
            main.AddNewPart<StyleDefinitionsPart>("rId1").Styles = BuildStyles();

            var body = new Body();
            var numbering = new Numbering(BuildAbstractNum(DecimalAbstractNumId, NumberFormatValues.Decimal, "%1."), BuildAbstractNum(BulletAbstractNumId, NumberFormatValues.Bullet, "\u2022"));
            var nextNumId = 1;
            foreach (var block in blocks)
            {
                switch (block.Kind)
                {
                    case DocxBlockKind.Heading:
                        body.Append(StyledParagraph($"Heading{block.Level}", block.Items[0]));
                        break;
                    case DocxBlockKind.Paragraph:
                        body.Append(StyledParagraph(null, block.Items[0]));
                        break;
                    case DocxBlockKind.NumberedList:
                    case DocxBlockKind.BulletList:
                        // Each list gets its own numbering instance so that every numbered list restarts at 1.
                        var abstractId = block.Kind == DocxBlockKind.NumberedList ? DecimalAbstractNumId : BulletAbstractNumId;
                        numbering.Append(new NumberingInstance(new AbstractNumId { Val = abstractId }) { NumberID = nextNumId });
                        foreach (var item in block.Items)
                        {
                            body.Append(ListParagraph(nextNumId, item));
                        }

                        nextNumId++;
                        break;
                    case DocxBlockKind.Table:
                        body.Append(BuildTable(block.Rows));
                        body.Append(new Paragraph());
                        break;
                    default:
                        throw new InvalidOperationException($"Unknown block kind {block.Kind}.");
                }
            }

            body.Append(new SectionProperties(
                new PageSize { Width = 11906U, Height = 16838U },
                new PageMargin { Top = 1440, Bottom = 1440, Left = 1440U, Right = 1440U, Header = 720U, Footer = 720U, Gutter = 0U }));
            main.AddNewPart<NumberingDefinitionsPart>("rId2").Numbering = numbering;
            main.Document = new Document(body);
        }

        return ZipNormalizer.Normalize(stream.ToArray());
    }

    private static Paragraph StyledParagraph(string? styleId, string text)
    {
        var paragraph = new Paragraph();
        if (styleId is not null)
        {
            paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = styleId }));
        }

        paragraph.Append(TextRun(text, bold: false));
        return paragraph;
    }

    private static Paragraph ListParagraph(int numId, string text) =>
        new(
            new ParagraphProperties(
                new ParagraphStyleId { Val = "ListParagraph" },
                new NumberingProperties(new NumberingLevelReference { Val = 0 }, new NumberingId { Val = numId })),
            TextRun(text, bold: false));

    private static Run TextRun(string text, bool bold)
    {
        var run = new Run();
        if (bold)
        {
            run.Append(new RunProperties(new Bold()));
        }

        run.Append(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        return run;
    }

    private static Table BuildTable(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var border = new EnumValue<BorderValues>(BorderValues.Single);
        var table = new Table(new TableProperties(
            new TableStyle { Val = "TableGrid" },
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(
                new TopBorder { Val = border, Size = 4U },
                new LeftBorder { Val = border, Size = 4U },
                new BottomBorder { Val = border, Size = 4U },
                new RightBorder { Val = border, Size = 4U },
                new InsideHorizontalBorder { Val = border, Size = 4U },
                new InsideVerticalBorder { Val = border, Size = 4U })));

        var columns = rows.Max(row => row.Count);
        var grid = new TableGrid();
        for (var i = 0; i < columns; i++)
        {
            // Twentieths of a point; 9026 is the text width of A4 with 1-inch margins.
            grid.Append(new GridColumn { Width = (9026 / columns).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        table.Append(grid);
        for (var r = 0; r < rows.Count; r++)
        {
            var isHeader = r == 0;
            var row = new TableRow();
            if (isHeader)
            {
                row.Append(new TableRowProperties(new TableHeader()));
            }

            foreach (var cell in rows[r])
            {
                row.Append(new TableCell(new Paragraph(TextRun(cell, isHeader))));
            }

            table.Append(row);
        }

        return table;
    }

    private static AbstractNum BuildAbstractNum(int id, NumberFormatValues format, string levelText) =>
        new(
            new MultiLevelType { Val = MultiLevelValues.SingleLevel },
            new Level(
                new StartNumberingValue { Val = 1 },
                new NumberingFormat { Val = format },
                new LevelText { Val = levelText },
                new LevelJustification { Val = LevelJustificationValues.Left },
                new PreviousParagraphProperties(new Indentation { Left = "720", Hanging = "360" }))
            { LevelIndex = 0 })
        { AbstractNumberId = id };

    private static Styles BuildStyles()
    {
        var fonts = new RunFonts { Ascii = "Calibri", HighAnsi = "Calibri", EastAsia = "SimSun", ComplexScript = "Calibri" };
        var defaults = new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(fonts, new FontSize { Val = "22" }, new Languages { Val = "en-US", EastAsia = "zh-CN" })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "120", Line = "276", LineRule = LineSpacingRuleValues.Auto })));

        return new Styles(
            defaults,
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            HeadingStyle(1, "32"),
            HeadingStyle(2, "26"),
            new Style(
                new StyleName { Val = "List Paragraph" },
                new BasedOn { Val = "Normal" },
                new StyleParagraphProperties(new Indentation { Left = "720" }, new ContextualSpacing()))
            { Type = StyleValues.Paragraph, StyleId = "ListParagraph" },
            new Style(
                new StyleName { Val = "Table Grid" },
                new BasedOn { Val = "TableNormal" },
                new StyleParagraphProperties(new SpacingBetweenLines { After = "0" }))
            { Type = StyleValues.Table, StyleId = "TableGrid" },
            new Style(new StyleName { Val = "Normal Table" }, new UIPriority { Val = 99 }, new SemiHidden())
            { Type = StyleValues.Table, StyleId = "TableNormal", Default = true });
    }

    private static Style HeadingStyle(int level, string halfPoints) =>
        new(
            new StyleName { Val = $"heading {level}" },
            new BasedOn { Val = "Normal" },
            new NextParagraphStyle { Val = "Normal" },
            new PrimaryStyle(),
            new StyleParagraphProperties(
                new KeepNext(),
                new SpacingBetweenLines { Before = "240", After = "120" },
                new OutlineLevel { Val = level - 1 }),
            new StyleRunProperties(new Bold(), new FontSize { Val = halfPoints }))
        { Type = StyleValues.Paragraph, StyleId = $"Heading{level}" };
}
