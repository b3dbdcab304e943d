using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Collects one worksheet's non-empty cells sparsely while it streams, then resolves merged ranges (the
/// top-left value fills the range), drops empty rows and columns, takes a lone title row above the table as its
/// caption, finds the header (the first remaining row, or two rows combined as "Top / Sub" when the first has
/// merged cells) and returns a rectangular table.
/// </summary>
internal sealed class SheetGrid(string fileName, string sheetName)
{
    // A dense table is rows x used columns; a sheet with a few scattered cells far apart must not turn into
    // billions of empty strings. Merges only fill cells inside the extent the data already spans.
    private const long MaxDenseCells = 50_000_000;
    private const long MaxMergedFill = 10_000_000;

    private readonly Dictionary<int, List<(int Column, string Value)>> _rows = [];
    private readonly List<((int Row, int Column) First, (int Row, int Column) Last)> _merges = [];
    private int _maxRow = -1;
    private int _maxColumn = -1;

    public void Add(int row, int column, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (!_rows.TryGetValue(row, out var cells))
        {
            cells = [];
            _rows[row] = cells;
        }

        cells.Add((column, value));
        _maxRow = Math.Max(_maxRow, row);
        _maxColumn = Math.Max(_maxColumn, column);
    }

    public void AddMerge(string range)
    {
        if (CellReference.TryParseRange(range, out var first, out var last) && (first != last))
        {
            _merges.Add((first, last));
        }
    }

    /// <summary>Builds the table; call once, after the whole sheet has been added (it consumes the rows).</summary>
    public TableBlock? ToTable()
    {
        ApplyMerges();
        var rowIndexes = _rows.Keys.Order().ToList();
        if (rowIndexes.Count == 0)
        {
            return null;
        }

        var columns = _rows.Values.SelectMany(cells => cells.Select(c => c.Column)).Distinct().Order().ToList();
        if ((long)columns.Count * rowIndexes.Count > MaxDenseCells)
        {
            throw new HanlinException(
                ErrorCodes.ArchiveBomb,
                $"'{fileName}' sheet '{sheetName}' spans {rowIndexes.Count:N0} rows by {columns.Count:N0} columns, more than {MaxDenseCells:N0} cells.");
        }

        var position = new Dictionary<int, int>(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            position[columns[i]] = i;
        }

        string[] Dense(int row)
        {
            var dense = new string[columns.Count];
            Array.Fill(dense, string.Empty);
            foreach (var (column, value) in _rows[row])
            {
                dense[position[column]] = value;
            }

            return dense;
        }

        // A lone title above the table ("2024年药品销售表" in A1, often merged across) is its caption, not a header.
        var bodyStart = 0;
        string? caption = null;
        while (rowIndexes.Count - bodyStart > 1 && columns.Count > 1 && SingleValue(rowIndexes[bodyStart]) is { } title
            && _rows[rowIndexes[bodyStart + 1]].Count > 1)
        {
            caption = caption is null ? title : $"{caption} {title}";
            bodyStart++;
        }

        var headerRow = rowIndexes[bodyStart];
        var header = Dense(headerRow);
        bodyStart++;
        if (bodyStart < rowIndexes.Count && rowIndexes[bodyStart] == headerRow + 1 && HasMergedHeader(headerRow))
        {
            var sub = Dense(rowIndexes[bodyStart]);
            for (var i = 0; i < header.Length; i++)
            {
                header[i] = Combine(header[i], sub[i]);
            }

            bodyStart++;
        }

        var rows = new List<IReadOnlyList<string>>(rowIndexes.Count - bodyStart);
        for (var i = bodyStart; i < rowIndexes.Count; i++)
        {
            // Release each sparse row once it is dense so a large sheet is not held twice.
            rows.Add(Dense(rowIndexes[i]));
            _rows.Remove(rowIndexes[i]);
        }

        return new TableBlock(header, rows, caption);
    }

    private string? SingleValue(int row)
    {
        var cells = _rows[row];
        var value = cells[0].Value;
        foreach (var (_, other) in cells)
        {
            if (other != value)
            {
                return null;
            }
        }

        return value;
    }

    private static string Combine(string top, string sub) =>
        sub.Length == 0 || sub == top ? top : top.Length == 0 ? sub : $"{top} / {sub}";

    // A header cell merged across columns (a group label) or down into the next row means the table's
    // header spans two rows.
    private bool HasMergedHeader(int headerRow) =>
        _merges.Any(m => m.First.Row == headerRow && (m.Last.Column > m.First.Column || m.Last.Row > m.First.Row));

    private void ApplyMerges()
    {
        long filled = 0;
        foreach (var (first, last) in _merges)
        {
            if (first.Row > _maxRow || first.Column > _maxColumn || Find(first.Row, first.Column) is not { } value)
            {
                continue;
            }

            var lastRow = Math.Min(last.Row, _maxRow);
            var lastColumn = Math.Min(last.Column, _maxColumn);
            for (var row = first.Row; row <= lastRow; row++)
            {
                for (var column = first.Column; column <= lastColumn; column++)
                {
                    if (++filled > MaxMergedFill)
                    {
                        return;
                    }

                    if (Find(row, column) is null)
                    {
                        Add(row, column, value);
                    }
                }
            }
        }
    }

    private string? Find(int row, int column)
    {
        if (!_rows.TryGetValue(row, out var cells))
        {
            return null;
        }

        foreach (var (c, value) in cells)
        {
            if (c == column)
            {
                return value;
            }
        }

        return null;
    }
}
