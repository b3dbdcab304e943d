using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Turns a WordprocessingML table into a <see cref="TableBlock"/>: the first row is the header, a cell
/// spanning columns (gridSpan) repeats its text in each, a vertically merged cell (vMerge continue) takes
/// the text of the cell above, and tables nested in cells are flattened into the cell's text.
/// </summary>
internal static class WordTableReader
{
    public static TableBlock? Read(Table table)
    {
        var grid = new List<List<string>>();
        List<string>? above = null;
        foreach (var row in Rows(table))
        {
            var cells = new List<string>();
            var skipped = row.TableRowProperties?.GetFirstChild<GridBefore>()?.Val?.Value ?? 0;
            for (var i = 0; i < skipped; i++)
            {
                cells.Add(string.Empty);
            }

            foreach (var cell in Cells(row))
            {
                var properties = cell.TableCellProperties;
                var span = Math.Clamp(properties?.GridSpan?.Val?.Value ?? 1, 1, 1000);
                var merge = properties?.VerticalMerge;
                var continues = merge is not null && (merge.Val is null || merge.Val.Value == MergedCellValues.Continue);
                var column = cells.Count;
                var text = continues
                    ? (above is not null && column < above.Count ? above[column] : string.Empty)
                    : WordText.Of(cell).Trim();
                for (var i = 0; i < span; i++)
                {
                    cells.Add(text);
                }
            }

            grid.Add(cells);
            above = cells;
        }

        if (grid.Count == 0)
        {
            return null;
        }

        var width = grid.Max(r => r.Count);
        if (width == 0)
        {
            return null;
        }

        foreach (var row in grid)
        {
            while (row.Count < width)
            {
                row.Add(string.Empty);
            }
        }

        return new TableBlock(grid[0], grid.Skip(1).Select(r => (IReadOnlyList<string>)r).ToList());
    }

    // Rows and cells may be wrapped in content controls or custom XML; nested tables are not descended into.
    private static IEnumerable<TableRow> Rows(OpenXmlElement container)
    {
        foreach (var child in container.ChildElements)
        {
            switch (child)
            {
                case TableRow row:
                    yield return row;
                    break;
                case SdtRow or CustomXmlRow or SdtContentRow or CustomXmlElement:
                    foreach (var nested in Rows(child))
                    {
                        yield return nested;
                    }

                    break;
            }
        }
    }

    private static IEnumerable<TableCell> Cells(OpenXmlElement container)
    {
        foreach (var child in container.ChildElements)
        {
            switch (child)
            {
                case TableCell cell:
                    yield return cell;
                    break;
                case SdtCell or CustomXmlCell or SdtContentCell or CustomXmlElement:
                    foreach (var nested in Cells(child))
                    {
                        yield return nested;
                    }

                    break;
            }
        }
    }
}
