using Hanlin.Ingestion.Extraction;
using A = DocumentFormat.OpenXml.Drawing;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Turns a DrawingML table (a:tbl in a slide's graphic frame) into a <see cref="TableBlock"/>; the first row
/// is the header. A cell covered by a merge (hMerge/vMerge) repeats the text of the cell it continues.
/// </summary>
internal static class SlideTableReader
{
    public static TableBlock? Read(A.Table table)
    {
        var grid = new List<List<string>>();
        List<string>? above = null;
        foreach (var row in table.Elements<A.TableRow>())
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<A.TableCell>())
            {
                var column = cells.Count;
                string text;
                if (cell.HorizontalMerge?.Value == true && column > 0)
                {
                    text = cells[column - 1];
                }
                else if (cell.VerticalMerge?.Value == true && above is not null && column < above.Count)
                {
                    text = above[column];
                }
                else
                {
                    text = SlideText.Of(cell.TextBody).Trim();
                }

                cells.Add(text);
            }

            grid.Add(cells);
            above = cells;
        }

        var width = grid.Count == 0 ? 0 : grid.Max(r => r.Count);
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
}
