using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Presentation;
using A = DocumentFormat.OpenXml.Drawing;

namespace Hanlin.Ingestion.Tests.Formats.Office;

/// <summary>Builds PPTX files in memory with the OpenXml SDK.</summary>
internal static class PresentationFixtures
{
    /// <summary>
    /// Two slides, listed in the presentation in the reverse of the order their parts were created. Slide 1:
    /// a title placeholder positioned only by the master, a body placeholder positioned by the layout, two text
    /// boxes above and below it, a table with a merged row, a slide number, and speaker notes. Slide 2: a title
    /// and an auto-numbered list.
    /// </summary>
    public static MemoryStream TwoSlides()
    {
        var stream = new MemoryStream();
        using (var document = PresentationDocument.Create(stream, PresentationDocumentType.Presentation))
        {
            document.PackageProperties.Title = "阿司匹林培训";
            var presentation = document.AddPresentationPart();
            var master = presentation.AddNewPart<SlideMasterPart>();
            var layout = master.AddNewPart<SlideLayoutPart>();
            layout.SlideLayout = new SlideLayout(new CommonSlideData(Tree(
                Placeholder(2, PlaceholderValues.Title, null, null),
                Placeholder(3, null, 1, (500, 1500)))));
            master.SlideMaster = new SlideMaster(
                new CommonSlideData(Tree(
                    Placeholder(2, PlaceholderValues.Title, null, (0, 100)),
                    Placeholder(3, PlaceholderValues.Body, 1, (0, 2000)))),
                new SlideLayoutIdList(new SlideLayoutId { Id = 2147483649U, RelationshipId = master.GetIdOfPart(layout) }));

            var second = presentation.AddNewPart<SlidePart>();
            second.AddPart(layout);
            second.Slide = new Slide(new CommonSlideData(Tree(
                Placeholder(2, PlaceholderValues.Title, null, null, Paragraph("用法")),
                Placeholder(3, null, 1, null, Numbered("口服"), Numbered("饭后")))));

            var first = presentation.AddNewPart<SlidePart>();
            first.AddPart(layout);
            first.Slide = new Slide(new CommonSlideData(Tree(
                TextBox(6, (100, 5000), Paragraph("页脚说明文字")),
                Placeholder(2, PlaceholderValues.Title, null, null, Paragraph("阿司匹林简介")),
                Placeholder(3, null, 1, null, Paragraph("解热镇痛"), Paragraph("抗血小板"), Paragraph("说明：见下表", new A.NoBullet())),
                DrugTable(7, (100, 3000)),
                TextBox(5, (100, 500), Paragraph("副标题文字")),
                Placeholder(8, PlaceholderValues.SlideNumber, 12, (9000, 6000), Paragraph("1")))));
            var notes = first.AddNewPart<NotesSlidePart>();
            notes.NotesSlide = new NotesSlide(new CommonSlideData(Tree(
                Placeholder(2, PlaceholderValues.SlideImage, null, (0, 0)),
                Placeholder(3, PlaceholderValues.Body, 1, (0, 4000), Paragraph("讲解时强调出血风险")))));

            presentation.Presentation = new Presentation(
                new SlideMasterIdList(new SlideMasterId { Id = 2147483648U, RelationshipId = presentation.GetIdOfPart(master) }),
                new SlideIdList(
                    new SlideId { Id = 256U, RelationshipId = presentation.GetIdOfPart(first) },
                    new SlideId { Id = 257U, RelationshipId = presentation.GetIdOfPart(second) }),
                new SlideSize { Cx = 9144000, Cy = 6858000 },
                new NotesSize { Cx = 6858000, Cy = 9144000 });
        }

        stream.Position = 0;
        return stream;
    }

    private static ShapeTree Tree(params OpenXmlElement[] shapes)
    {
        var tree = new ShapeTree(
            new NonVisualGroupShapeProperties(
                new NonVisualDrawingProperties { Id = 1U, Name = string.Empty },
                new NonVisualGroupShapeDrawingProperties(),
                new ApplicationNonVisualDrawingProperties()),
            new GroupShapeProperties());
        tree.Append(shapes);
        return tree;
    }

    private static Shape Placeholder(uint id, PlaceholderValues? type, uint? index, (long X, long Y)? offset, params A.Paragraph[] paragraphs)
    {
        var placeholder = new PlaceholderShape();
        if (type is { } t)
        {
            placeholder.Type = t;
        }

        if (index is { } i)
        {
            placeholder.Index = i;
        }

        return Shape(id, new ApplicationNonVisualDrawingProperties(placeholder), offset, paragraphs);
    }

    private static Shape TextBox(uint id, (long X, long Y) offset, params A.Paragraph[] paragraphs) =>
        Shape(id, new ApplicationNonVisualDrawingProperties(), offset, paragraphs);

    private static Shape Shape(uint id, ApplicationNonVisualDrawingProperties application, (long X, long Y)? offset, A.Paragraph[] paragraphs)
    {
        var properties = new ShapeProperties();
        if (offset is { } o)
        {
            properties.Append(new A.Transform2D(new A.Offset { X = o.X, Y = o.Y }, new A.Extents { Cx = 1000, Cy = 1000 }));
        }

        var body = new TextBody(new A.BodyProperties(), new A.ListStyle());
        body.Append(paragraphs.Length == 0 ? [new A.Paragraph()] : paragraphs);
        return new Shape(
            new NonVisualShapeProperties(new NonVisualDrawingProperties { Id = id, Name = $"Shape {id}" }, new NonVisualShapeDrawingProperties(), application),
            properties,
            body);
    }

    private static A.Paragraph Paragraph(string text, params OpenXmlElement[] bulletProperties)
    {
        var paragraph = new A.Paragraph();
        if (bulletProperties.Length > 0)
        {
            paragraph.Append(new A.ParagraphProperties(bulletProperties));
        }

        paragraph.Append(new A.Run(new A.Text(text)));
        return paragraph;
    }

    private static A.Paragraph Numbered(string text) =>
        Paragraph(text, new A.AutoNumberedBullet { Type = A.TextAutoNumberSchemeValues.ArabicPeriod });

    private static GraphicFrame DrugTable(uint id, (long X, long Y) offset)
    {
        static A.TableCell Cell(string text) =>
            new(new A.TextBody(new A.BodyProperties(), new A.ListStyle(), new A.Paragraph(new A.Run(new A.Text(text)))), new A.TableCellProperties());

        var spanning = Cell("仅限成人");
        spanning.GridSpan = 2;
        var covered = Cell(string.Empty);
        covered.HorizontalMerge = true;

        var table = new A.Table(
            new A.TableGrid(new A.GridColumn { Width = 1000 }, new A.GridColumn { Width = 1000 }),
            new A.TableRow(Cell("药品"), Cell("剂量")) { Height = 100 },
            new A.TableRow(Cell("阿司匹林"), Cell("100mg")) { Height = 100 },
            new A.TableRow(spanning, covered) { Height = 100 });
        return new GraphicFrame(
            new NonVisualGraphicFrameProperties(
                new NonVisualDrawingProperties { Id = id, Name = "Table" },
                new NonVisualGraphicFrameDrawingProperties(),
                new ApplicationNonVisualDrawingProperties()),
            new Transform(new A.Offset { X = offset.X, Y = offset.Y }, new A.Extents { Cx = 2000, Cy = 300 }),
            new A.Graphic(new A.GraphicData(table) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/table" }));
    }
}
