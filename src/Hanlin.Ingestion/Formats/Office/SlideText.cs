using System.Text;
using DocumentFormat.OpenXml;
using A = DocumentFormat.OpenXml.Drawing;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>Text of DrawingML text bodies (a:txBody): runs, fields and line breaks of each a:p.</summary>
internal static class SlideText
{
    public static string Of(A.Paragraph paragraph)
    {
        var sb = new StringBuilder();
        foreach (var child in paragraph.ChildElements)
        {
            switch (child)
            {
                case A.Run run:
                    sb.Append(run.Text?.Text);
                    break;
                case A.Field field:
                    sb.Append(field.Text?.Text);
                    break;
                case A.Break:
                    sb.Append('\n');
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>All paragraphs of a text body, one per line.</summary>
    public static string Of(OpenXmlElement? textBody) =>
        textBody is null ? string.Empty : string.Join('\n', textBody.Elements<A.Paragraph>().Select(Of).Where(t => t.Length > 0));
}
