using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>
/// Best-effort table finder on the lines of one page. Lines are grouped into rows by vertical overlap; a
/// row is tabular when it holds several horizontally separated segments that are short or numeric; a run
/// of at least <see cref="MinTabularRows"/> such rows (with wrapped cell text between them) becomes a
/// table whose columns are the merged x-intervals of its most common row shape, and whose first row is
/// the header. This keeps every number on the row of its label, which the reading-order pass (block by
/// block, column by column) would tear apart. Prose in columns is not a table: its rows hold two or more
/// wordy segments, mostly starting in lower case. Ruling lines are not used; cells spanning columns land
/// in the column they overlap most.
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

        // Vertical text (a side label, a stamp) is far taller than a text line and would glue rows together.
        var medianHeight = lines.Select(l => l.Height).Order().ElementAt(lines.Count / 2);
        lines.RemoveAll(l => l.Height > 3 * medianHeight);

        var rows = GroupRows(lines);
        var regions = new List<PdfTableRegion>();
        var start = 0;
        var previousEnd = -1;
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
                if (Gap(rows[i - 1], rows[i]) > 3 * rows[i - 1].Max(l => l.Height))
                {
                    break;
                }

                if (IsTabular(rows[i]))
                {
                    tabularCount++;
                    lastTabular = i;
                }
                else if (rows[i].Count > 1 || i - lastTabular > 2 || !IsContinuation(rows[i][0], rows[start]))
                {
                    break;
                }
            }

            // Text wrapping in a later column of the last row still belongs to it.
            var last = lastTabular;
            while (last + 1 < rows.Count && last - lastTabular < 2 && rows[last + 1].Count == 1
                && rows[last + 1][0].Left > rows[start][0].Right && Gap(rows[last], rows[last + 1]) <= rows[last].Max(l => l.Height))
            {
                last++;
            }

            if (tabularCount >= MinTabularRows)
            {
                // A header whose cells are too wordy to look tabular still heads the rows just below it.
                var first = start > previousEnd + 1 && rows[start - 1].Count >= 2 && Gap(rows[start - 1], rows[start]) <= 2 * rows[start].Max(l => l.Height)
                    ? start - 1
                    : start;
                var region = BuildRegion(rows.GetRange(first, last - first + 1));
                if (region is not null)
                {
                    regions.Add(region);
                    previousEnd = last;
                }
            }

            start = last + 1;
        }

        return regions;
    }

    private static double Gap(List<PdfTextLine> upper, List<PdfTextLine> lower) =>
        upper.Min(l => l.Bottom) - lower.Max(l => l.Top);

    /// <summary>
    /// A lone line inside a table is wrapped cell text: a short label in the first column, or any text in a
    /// later column (descriptions wrap there), but not a paragraph starting at the table's left edge.
    /// </summary>
    private static bool IsContinuation(PdfTextLine line, List<PdfTextLine> tabularRow) =>
        line.WordCount <= MaxCellWords || line.Left > tabularRow[0].Right;

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
        var lowerCaseStarts = 0;
        var wordy = 0;
        for (var i = 0; i < row.Count; i++)
        {
            var segment = row[i];

            // Overlapping segments are one line split by the analyser, not separate cells.
            if (i > 0 && segment.Left < row[i - 1].Right)
            {
                return false;
            }

            maxWords = Math.Max(maxWords, segment.WordCount);
            if (IsNumeric(segment.Text))
            {
                numeric++;
            }
            else if (segment.WordCount >= 5)
            {
                wordy++;
            }

            if (segment.WordCount >= 3 && char.IsLower(segment.Text[0]))
            {
                lowerCaseStarts++;
            }
        }

        // Several wordy segments side by side are columns of prose, and prose lines mostly start in lower
        // case; table cells are short, numeric, or alone in being long.
        if (numeric >= 2)
        {
            return true;
        }

        return wordy < 2 && lowerCaseStarts < 2 && (row.Count >= 3 || maxWords <= MaxCellWords);
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

        var grid = new List<string[]>(rows.Count);
        var consumed = new HashSet<PdfTextLine>(ReferenceEqualityComparer.Instance);
        string? pendingLabel = null;
        foreach (var row in rows)
        {
            foreach (var segment in row)
            {
                consumed.Add(segment);
            }

            if (row.Count == 1)
            {
                // Wrapped cell text: a label wrapping in the first column belongs to the row below (values sit
                // on its last line); text wrapping in a later column continues the row above.
                var column = NearestColumn(columns, row[0]);
                if (column == 0 || grid.Count == 0)
                {
                    pendingLabel = pendingLabel is null ? row[0].Text : pendingLabel + " " + row[0].Text;
                }
                else
                {
                    Append(grid[^1], column, row[0].Text);
                }

                continue;
            }

            var cells = new string[columns.Count];
            Array.Fill(cells, string.Empty);
            if (pendingLabel is not null)
            {
                cells[0] = pendingLabel;
                pendingLabel = null;
            }

            foreach (var segment in row)
            {
                Append(cells, NearestColumn(columns, segment), segment.Text);
            }

            grid.Add(cells);
        }

        if (grid.Count < 2)
        {
            return null;
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

    private static void Append(string[] cells, int column, string text) =>
        cells[column] = cells[column].Length == 0 ? text : cells[column] + " " + text;

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
