namespace Hanlin.Ingestion.Formats.Office;

/// <summary>A1-style spreadsheet references ("B7", "A1:C2") as zero-based row and column indexes.</summary>
internal static class CellReference
{
    // Excel's own limits: 1,048,576 rows, 16,384 columns (XFD).
    private const int MaxRow = 1_048_575;
    private const int MaxColumn = 16_383;

    /// <summary>Parses "AB12" (or a bare column "AB" with <paramref name="row"/> -1).</summary>
    public static bool TryParse(ReadOnlySpan<char> reference, out int row, out int column)
    {
        row = -1;
        column = -1;
        var i = 0;
        var col = 0;
        while (i < reference.Length && char.IsAsciiLetter(reference[i]))
        {
            col = (col * 26) + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
            if (col > MaxColumn + 1)
            {
                return false;
            }

            i++;
        }

        var r = 0;
        var digits = 0;
        for (; i < reference.Length; i++)
        {
            if (!char.IsAsciiDigit(reference[i]) || r > MaxRow)
            {
                return false;
            }

            r = (r * 10) + (reference[i] - '0');
            digits++;
        }

        if (col == 0)
        {
            return false;
        }

        column = col - 1;
        row = digits == 0 ? -1 : r - 1;
        return digits == 0 || r >= 1;
    }

    /// <summary>Parses a range "A1:C2" (or a single cell) into its inclusive corners.</summary>
    public static bool TryParseRange(ReadOnlySpan<char> range, out (int Row, int Column) first, out (int Row, int Column) last)
    {
        first = last = default;
        var colon = range.IndexOf(':');
        var start = colon < 0 ? range : range[..colon];
        var end = colon < 0 ? range : range[(colon + 1)..];
        if (!TryParse(start, out var r1, out var c1) || !TryParse(end, out var r2, out var c2) || r1 < 0 || r2 < 0)
        {
            return false;
        }

        first = (Math.Min(r1, r2), Math.Min(c1, c2));
        last = (Math.Max(r1, r2), Math.Max(c1, c2));
        return true;
    }
}
