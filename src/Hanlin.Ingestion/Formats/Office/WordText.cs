using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// The visible text of WordprocessingML content: runs inside hyperlinks, content controls, smart tags,
/// insertions and field results are kept; deletions, field instructions and properties are not. Text boxes
/// and nested tables contribute their text on separate lines.
/// </summary>
internal static class WordText
{
    public static string Of(OpenXmlElement element)
    {
        var sb = new StringBuilder();
        Append(sb, element);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, OpenXmlElement element)
    {
        switch (element)
        {
            case DocumentFormat.OpenXml.Wordprocessing.Text text:
                sb.Append(text.Text);
                return;
            case TabChar or PositionalTab:
                sb.Append('\t');
                return;
            case Break or CarriageReturn:
                sb.Append('\n');
                return;
            case NoBreakHyphen:
                sb.Append('-');
                return;
            case DeletedText or FieldCode or DeletedFieldCode or DeletedRun or ParagraphProperties or RunProperties
                or TableProperties or TableRowProperties or TableCellProperties or SdtProperties or SdtEndCharProperties:
                return;
            case AlternateContent alternate:
                // Choice and Fallback render the same content; reading both would duplicate it.
                var branch = (OpenXmlElement?)alternate.GetFirstChild<AlternateContentChoice>() ?? alternate.GetFirstChild<AlternateContentFallback>();
                if (branch is not null)
                {
                    AppendChildren(sb, branch);
                }

                return;
            case Paragraph:
                NewLine(sb);
                AppendChildren(sb, element);
                return;
            case TableRow:
                // A table nested in a cell becomes one line per row, its cells separated by spaces.
                NewLine(sb);
                var separator = string.Empty;
                foreach (var cell in element.Elements<TableCell>())
                {
                    var cellText = Of(cell).Replace('\n', ' ').Trim();
                    if (cellText.Length > 0)
                    {
                        sb.Append(separator).Append(cellText);
                        separator = " ";
                    }
                }

                return;
            default:
                AppendChildren(sb, element);
                return;
        }
    }

    private static void AppendChildren(StringBuilder sb, OpenXmlElement element)
    {
        foreach (var child in element.ChildElements)
        {
            Append(sb, child);
        }
    }

    private static void NewLine(StringBuilder sb)
    {
        if (sb.Length > 0 && sb[^1] != '\n')
        {
            sb.Append('\n');
        }
    }
}
