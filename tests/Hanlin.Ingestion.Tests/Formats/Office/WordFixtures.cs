using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Hanlin.Ingestion.Tests.Formats.Office;

/// <summary>Builds DOCX files in memory with the OpenXml SDK, the way Word lays them out.</summary>
internal static class WordFixtures
{
    /// <summary>
    /// A Chinese drug handbook: Title, Heading1, a localised "标题 2" style and one based on it, numbered and
    /// bulleted lists, a table with gridSpan/vMerge and a nested table, hyperlink, content controls,
    /// a tracked deletion and a text box in mc:AlternateContent.
    /// </summary>
    public static MemoryStream Handbook()
    {
        var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            document.PackageProperties.Title = "药品手册";
            var main = document.AddMainDocumentPart();
            AddStyles(main);
            AddNumbering(main);
            main.AddNewPart<FootnotesPart>().Footnotes = new Footnotes(
                new Footnote(new Paragraph(new Run(new SeparatorMark()))) { Type = FootnoteEndnoteValues.Separator, Id = -1 },
                new Footnote(new Paragraph(new Run(new ContinuationSeparatorMark()))) { Type = FootnoteEndnoteValues.ContinuationSeparator, Id = 0 },
                new Footnote(new Paragraph(new Run(new FootnoteReferenceMark()), new Run(new W.Text(" 剂量以成人计。")))) { Id = 1 });
            var link = main.AddHyperlinkRelationship(new Uri("https://example.org/label"), true);

            main.Document = new Document(new Body(
                Styled("Title", "药品手册"),
                Styled("Heading1", "第一章 概述"),
                new Paragraph(
                    new Run(new W.Text("阿司匹林是一种常用药物，")),
                    new Hyperlink(new Run(new W.Text("参见说明书"))) { Id = link.Id },
                    new SdtRun(new SdtContentRun(new Run(new W.Text("（内容控件）")))),
                    new DeletedRun(new Run(new DeletedText("已删除的文字"))),
                    new Run(new W.Text("。")),
                    new Run(new FootnoteReference { Id = 1 })),
                Styled("a1", "用法用量"),
                Numbered(1, 0, "口服"),
                Numbered(1, 0, "饭后服用"),
                Numbered(1, 1, "每日一次"),
                Numbered(2, 0, "注意出血风险"),
                new SdtBlock(new SdtContentBlock(new Paragraph(new Run(new W.Text("块级内容控件中的段落"))))),
                DrugTable(),
                Styled("MyHeading", "不良反应"),
                new Paragraph(new Run(new AlternateContent(
                    new AlternateContentChoice(new W.Text("文本框内容")) { Requires = "wps" },
                    new AlternateContentFallback(new W.Text("文本框内容"))))),
                new Paragraph(),
                new SectionProperties()));
        }

        stream.Position = 0;
        return stream;
    }

    /// <summary>A DOCX with <paramref name="paragraphs"/> paragraphs of body text, for size and throughput runs.</summary>
    public static MemoryStream Plain(int paragraphs)
    {
        var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            for (var i = 0; i < paragraphs; i++)
            {
                body.Append(new Paragraph(new Run(new W.Text($"第{i}段：阿司匹林（乙酰水杨酸）用于解热镇痛，paragraph {i} of the throughput corpus."))));
            }

            main.Document = new Document(body);
        }

        stream.Position = 0;
        return stream;
    }

    private static Paragraph Styled(string styleId, string text) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = styleId }), new Run(new W.Text(text)));

    private static Paragraph Numbered(int numberingId, int level, string text) =>
        new(
            new ParagraphProperties(
                new ParagraphStyleId { Val = "ListParagraph" },
                new NumberingProperties(new NumberingLevelReference { Val = level }, new NumberingId { Val = numberingId })),
            new Run(new W.Text(text)));

    private static Table DrugTable()
    {
        static TableCell Cell(string text, TableCellProperties? properties = null)
        {
            var cell = new TableCell();
            if (properties is not null)
            {
                cell.Append(properties);
            }

            cell.Append(new Paragraph(new Run(new W.Text(text))));
            return cell;
        }

        var nested = new Table(new TableRow(Cell("片剂"), Cell("100mg")), new TableRow(Cell("肠溶片"), Cell("300mg")));
        var nestedHost = new TableCell(new Paragraph(new Run(new W.Text("规格："))), nested, new Paragraph());

        return new Table(
            new TableProperties(),
            new TableRow(Cell("药品"), Cell("剂量"), Cell("备注")),
            new TableRow(
                Cell("阿司匹林", new TableCellProperties(new VerticalMerge { Val = MergedCellValues.Restart })),
                Cell("每日 100 mg", new TableCellProperties(new GridSpan { Val = 2 }))),
            new TableRow(
                Cell(string.Empty, new TableCellProperties(new VerticalMerge())),
                Cell("最多 300 mg"),
                nestedHost));
    }

    private static void AddStyles(MainDocumentPart main)
    {
        var part = main.AddNewPart<StyleDefinitionsPart>();
        part.Styles = new Styles(
            new Style(new StyleName { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            new Style(new StyleName { Val = "Title" }, new BasedOn { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "Title" },
            new Style(
                new StyleName { Val = "heading 1" },
                new BasedOn { Val = "Normal" },
                new StyleParagraphProperties(new OutlineLevel { Val = 0 }))
            { Type = StyleValues.Paragraph, StyleId = "Heading1" },

            // As WPS writes a heading: a numeric-looking id and only a localised name, no outline level.
            new Style(new StyleName { Val = "标题 2" }, new BasedOn { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "a1" },
            new Style(new StyleName { Val = "My Heading" }, new BasedOn { Val = "a1" }) { Type = StyleValues.Paragraph, StyleId = "MyHeading" },
            new Style(new StyleName { Val = "List Paragraph" }, new BasedOn { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "ListParagraph" });
    }

    private static void AddNumbering(MainDocumentPart main)
    {
        var part = main.AddNewPart<NumberingDefinitionsPart>();
        part.Numbering = new Numbering(
            new AbstractNum(
                new Level(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = NumberFormatValues.Decimal }, new LevelText { Val = "%1." }) { LevelIndex = 0 },
                new Level(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = NumberFormatValues.LowerLetter }, new LevelText { Val = "%1.%2)" }) { LevelIndex = 1 })
            { AbstractNumberId = 10 },
            new AbstractNum(
                new Level(new NumberingFormat { Val = NumberFormatValues.Bullet }, new LevelText { Val = "•" }) { LevelIndex = 0 })
            { AbstractNumberId = 20 },
            new NumberingInstance(new AbstractNumId { Val = 10 }) { NumberID = 1 },
            new NumberingInstance(new AbstractNumId { Val = 20 }) { NumberID = 2 });
    }
}
