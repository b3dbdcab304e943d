using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Tests.Formats.Pdf;

/// <summary>
/// Gold tables of an ICDAR 2013 table-competition "-str.xml" file
/// (<c>&lt;table&gt;&lt;region page&gt;&lt;cell start-row start-col&gt;&lt;content&gt;</c>) and a coverage score: the
/// fraction of non-empty gold cells whose whitespace-normalised text occurs, as whole tokens, in the
/// extracted text. It measures that table text survives extraction, not that structure is recovered.
/// </summary>
internal sealed class IcdarGoldTable
{
    private IcdarGoldTable(IReadOnlyList<IcdarGoldCell> cells)
    {
        Cells = cells;
    }

    public IReadOnlyList<IcdarGoldCell> Cells { get; }

    public static IcdarGoldTable Load(string path)
    {
        var document = XDocument.Load(path);
        var cells = new List<IcdarGoldCell>();
        foreach (var region in document.Descendants("region"))
        {
            var page = int.Parse((string?)region.Attribute("page") ?? "1", CultureInfo.InvariantCulture);
            foreach (var cell in region.Elements("cell"))
            {
                var text = Normalise((string?)cell.Element("content") ?? string.Empty);
                if (text.Length > 0)
                {
                    cells.Add(new IcdarGoldCell(
                        page,
                        int.Parse((string?)cell.Attribute("start-row") ?? "0", CultureInfo.InvariantCulture),
                        int.Parse((string?)cell.Attribute("start-col") ?? "0", CultureInfo.InvariantCulture),
                        text));
                }
            }
        }

        return new IcdarGoldTable(cells);
    }

    /// <summary>All text of the blocks (table cells row by row), whitespace-normalised, one space between tokens.</summary>
    public static string TextOf(ExtractedDocument document)
    {
        var sb = new StringBuilder();
        foreach (var block in document.Blocks)
        {
            sb.Append(block.Text).Append(' ');
            if (block.Table is { } table)
            {
                foreach (var row in table.Rows.Prepend(table.Header))
                {
                    sb.AppendJoin(' ', row).Append(' ');
                }
            }
        }

        return Normalise(sb.ToString());
    }

    /// <summary>Fraction of gold cells (optionally only those on <paramref name="page"/>) found in <paramref name="extractedText"/>.</summary>
    public double Coverage(string extractedText, int? page = null)
    {
        var haystack = " " + Normalise(extractedText) + " ";
        var cells = Cells.Where(c => page is null || c.Page == page).ToList();
        if (cells.Count == 0)
        {
            return 1;
        }

        var found = cells.Count(c => haystack.Contains(" " + c.Text + " ", StringComparison.Ordinal));
        return (double)found / cells.Count;
    }

    /// <summary>
    /// Like <see cref="Coverage"/> but comparing with all whitespace removed, which forgives the gold files'
    /// own spacing slips ("eachmark", "asYes") at the price of matching inside longer tokens.
    /// </summary>
    public double CoverageIgnoringSpaces(string extractedText)
    {
        var haystack = Compact(extractedText);
        return Cells.Count == 0 ? 1 : (double)Cells.Count(c => haystack.Contains(Compact(c.Text), StringComparison.Ordinal)) / Cells.Count;
    }

    /// <summary>The gold cells not found, for failure messages.</summary>
    public IEnumerable<string> Missing(string extractedText)
    {
        var haystack = " " + Normalise(extractedText) + " ";
        return Cells.Where(c => !haystack.Contains(" " + c.Text + " ", StringComparison.Ordinal)).Select(c => c.Text);
    }

    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    public static string Normalise(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
