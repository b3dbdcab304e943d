using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>
/// Best-effort table finder on the lines of one page. Lines are grouped into rows by vertical overlap; a
/// row is tabular when it holds several horizontally separated short or numeric segments; a run of at
/// least <see cref="MinTabularRows"/> such rows becomes a table whose columns are the merged x-intervals
/// of its most common row shape. This keeps every number on the row of its label, which the reading-order
/// pass (block by block, column by column) would tear apart. Body text in two columns is not a table
/// because its segments are long lines of prose.
/// </summary>
internal static class PdfTableDetector
{
    public const int MinTabularRows = 3;

    /// <summary>A segment with more words than this is prose unless its row is clearly numeric.</summary>
    private const int MaxCellWords = 8;

    public static IReadOnlyList<PdfTableRegion> Detect(PdfPageLayout page)
    {
        var lines = page.Blocks.SelectMany(block => block).ToList();
        if (lines.Count < MinTabularRows * 2)
        {
            return [];
        }

        var rows = GroupRows(lines);
        var regions = new List<PdfTableRegion>();
        var start = 0;
        while (start < rows.Count)
        {
            if (!IsTabular(rows[start]))
            {
                start++;
                continue;
            }

            var tabularCount = 1;
            var lastTabular = start;
            for (var i = start + 1; i < rows.Count; i++)
            {
                var gap = rows[i - 1].Min(l => l.Bottom) - rows[i].Max(l => l.Top);
                if (gap > 3 * rows[i - 1].Max(l => l.Height))
                {
                    break;
                }

                if (IsTabular(rows[i]))
                {
                    tabularCount++;
                    lastTabular = i;
                }
                else if (rows[i].Count > 1 || rows[i][0].WordCount > MaxCellWords || i - lastTabular > 1)
                {
                    break;
                }
            }

            var end = lastTabular;
            if (tabularCount >= MinTabularRows)
            {
                var region = BuildRegion(rows.GetRange(start, end - start + 1));
                if (region is not null)
                {
                    regions.Add(region);
                }
            }

            start = end + 1;
        }

        return regions;
    }

    /// <summary>Groups lines into rows, top to bottom, each row sorted left to right.</summary>
    private static List<List<PdfTextLine>> GroupRows(List<PdfTextLine> lines)
    {
        lines.Sort((a, b) => b.CenterY.CompareTo(a.CenterY));
        var rows = new List<List<PdfTextLine>>();
        List<PdfTextLine>? current = null;
        PdfTextLine? anchor = null;
        foreach (var line in lines)
        {
            if (current is not null && anchor is not null && VerticalOverlap(anchor, line) >= 0.5 * Math.Min(anchor.Height, line.Height))
            {
                current.Add(line);
                continue;
            }

            current = [line];
            anchor = line;
            rows.Add(current);
        }

        foreach (var row in rows)
        {
            row.Sort((a, b) => a.Left.CompareTo(b.Left));
        }

        return rows;
    }

    private static double VerticalOverlap(PdfTextLine a, PdfTextLine b) =>
        Math.Min(a.Top, b.Top) - Math.Max(a.Bottom, b.Bottom);

    private static bool IsTabular(List<PdfTextLine> row)
    {
        if (row.Count < 2)
        {
            return false;
        }

        var numeric = 0;
        var maxWords = 0;
        var prose = 0;
        for (var i = 0; i < row.Count; i++)
        {
            // Overlapping segments are one line split by the analyser, not separate cells.
            if (i > 0 && row[i].Left < row[i - 1].Right)
            {
                return false;
            }

            maxWords = Math.Max(maxWords, row[i].WordCount);
            if (row[i].WordCount >= 3 && char.IsLower(row[i].Text[0]))
            {
                prose++;
            }

            if (IsNumeric(row[i].Text))
            {
                numeric++;
            }
        }

        // Lines of flowing prose mostly start in lower case; table cells rarely do.
        return numeric >= 2 || (maxWords <= MaxCellWords && prose < 2);
    }

    private static bool IsNumeric(string text)
    {
        var digits = 0;
        var letters = 0;
        foreach (var c in text)
        {
            if (char.IsDigit(c))
            {
                digits++;
            }
            else if (char.IsLetter(c))
            {
                letters++;
            }
        }

        return digits > 0 && digits >= letters;
    }

    private static PdfTableRegion? BuildRegion(List<List<PdfTextLine>> rows)
    {
        var columns = FindColumns(rows);
        if (columns.Count < 2)
        {
            return null;
        }

        var grid = new List<IReadOnlyList<string>>(rows.Count);
        var consumed = new HashSet<PdfTextLine>(ReferenceEqualityComparer.Instance);
        foreach (var row in rows)
        {
            var cells = new string[columns.Count];
            Array.Fill(cells, string.Empty);
            foreach (var segment in row)
            {
                var column = NearestColumn(columns, segment);
                cells[column] = cells[column].Length == 0 ? segment.Text : cells[column] + " " + segment.Text;
                consumed.Add(segment);
            }

            grid.Add(cells);
        }

        var table = new TableBlock(grid[0], grid.GetRange(1, grid.Count - 1));
        return new PdfTableRegion(table, consumed);
    }

    /// <summary>
    /// Column x-intervals: the segments of the rows with the most common segment count (so one header cell
    /// spanning two columns does not fuse them), merged where they overlap, left to right.
    /// </summary>
    private static List<(double Left, double Right)> FindColumns(List<List<PdfTextLine>> rows)
    {
        var modalCount = rows
            .Where(r => r.Count >= 2)
            .GroupBy(r => r.Count)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => g.Key)
            .First()
            .Key;
        var intervals = rows
            .Where(r => r.Count == modalCount)
            .SelectMany(r => r)
            .Select(l => (l.Left, l.Right))
            .OrderBy(i => i.Left)
            .ToList();

        var columns = new List<(double Left, double Right)>();
        foreach (var interval in intervals)
        {
            if (columns.Count > 0 && interval.Left <= columns[^1].Right)
            {
                columns[^1] = (columns[^1].Left, Math.Max(columns[^1].Right, interval.Right));
            }
            else
            {
                columns.Add(interval);
            }
        }

        return columns;
    }

    private static int NearestColumn(List<(double Left, double Right)> columns, PdfTextLine segment)
    {
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < columns.Count; i++)
        {
            // Overlap when positive, minus the distance when apart: one score for both cases.
            var score = Math.Min(columns[i].Right, segment.Right) - Math.Max(columns[i].Left, segment.Left);
            if (score > bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        return best;
    }
}
