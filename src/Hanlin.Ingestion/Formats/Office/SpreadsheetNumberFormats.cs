using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Cell number formats of a workbook (styles.xml cellXfs + numFmts), reduced to how a number should read as
/// text: dates as ISO yyyy-MM-dd, percentages with "%", everything else as Excel's General (15 digits).
/// </summary>
internal sealed class SpreadsheetNumberFormats
{
    // Serial 2958465 is 9999-12-31, the last day Excel can show.
    private const double MaxSerial = 2_958_465.99999;

    private readonly List<NumberKind> _kinds = [];
    private readonly bool _date1904;

    public SpreadsheetNumberFormats(Stylesheet? stylesheet, bool date1904)
    {
        _date1904 = date1904;
        if (stylesheet is null)
        {
            return;
        }

        var custom = new Dictionary<uint, string>();
        foreach (var format in stylesheet.NumberingFormats?.Elements<NumberingFormat>() ?? [])
        {
            if (format.NumberFormatId?.Value is { } id && format.FormatCode?.Value is { } code)
            {
                custom[id] = code;
            }
        }

        foreach (var cellFormat in stylesheet.CellFormats?.Elements<CellFormat>() ?? [])
        {
            var id = cellFormat.NumberFormatId?.Value ?? 0;
            _kinds.Add(custom.TryGetValue(id, out var code) ? Classify(code) : Builtin(id));
        }
    }

    /// <summary>The text of a numeric cell whose style index is <paramref name="styleIndex"/>.</summary>
    public string FormatNumber(string raw, int styleIndex)
    {
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return raw;
        }

        var kind = styleIndex >= 0 && styleIndex < _kinds.Count ? _kinds[styleIndex] : NumberKind.Number;
        return kind switch
        {
            NumberKind.Percent => (value * 100).ToString("G15", CultureInfo.InvariantCulture) + "%",
            NumberKind.Date or NumberKind.DateTime or NumberKind.Time => FormatSerial(value, kind) ?? General(value),
            _ => General(value),
        };
    }

    /// <summary>The text of an ISO 8601 date cell (t="d").</summary>
    public static string FormatIsoDate(string raw) =>
        DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date)
            ? (date.TimeOfDay == TimeSpan.Zero ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))
            : raw;

    private static string General(double value) => value.ToString("G15", CultureInfo.InvariantCulture);

    private string? FormatSerial(double serial, NumberKind kind)
    {
        if (_date1904)
        {
            serial += 1462;
        }
        else if (serial < 60)
        {
            // Excel counts a 29 Feb 1900 that never was; OLE dates do not, so serials before it are one day off.
            serial += 1;
        }

        if (serial is < 0 or > MaxSerial)
        {
            return null;
        }

        var date = DateTime.FromOADate(serial);
        date = new DateTime((date.Ticks + (TimeSpan.TicksPerSecond / 2)) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);
        return kind switch
        {
            NumberKind.Time => date.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            NumberKind.DateTime when date.TimeOfDay != TimeSpan.Zero => date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            _ => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    // ECMA-376 18.8.30 built-in formats. 27-36 and 50-58 are locale-defined; in the CJK locales that use
    // them they are all date formats (e.g. 31 = "yyyy年m月d日").
    private static NumberKind Builtin(uint id) => id switch
    {
        9 or 10 => NumberKind.Percent,
        >= 14 and <= 17 => NumberKind.Date,
        >= 18 and <= 21 or >= 45 and <= 47 => NumberKind.Time,
        22 => NumberKind.DateTime,
        >= 27 and <= 36 or >= 50 and <= 58 => NumberKind.Date,
        _ => NumberKind.Number,
    };

    internal static NumberKind Classify(string code)
    {
        // Only the first section (positive numbers) decides; quoted text, escapes, fill/padding characters
        // and bracketed colours/locales carry no date tokens. Elapsed-time brackets ([h], [mm]) do.
        var section = code.Split(';')[0];
        var tokens = new StringBuilder(section.Length);
        for (var i = 0; i < section.Length; i++)
        {
            var c = section[i];
            switch (c)
            {
                case '"':
                    var close = section.IndexOf('"', i + 1);
                    i = close < 0 ? section.Length : close;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case '[':
                    var end = section.IndexOf(']', i + 1);
                    var inner = end < 0 ? string.Empty : section[(i + 1)..end].ToLowerInvariant();
                    if (inner.Length > 0 && inner.All(ch => ch is 'h' or 'm' or 's'))
                    {
                        tokens.Append(inner);
                    }

                    i = end < 0 ? section.Length : end;
                    break;
                default:
                    tokens.Append(char.ToLowerInvariant(c));
                    break;
            }
        }

        var text = tokens.ToString();
        if (text.Contains("general", StringComparison.Ordinal))
        {
            return NumberKind.Number;
        }

        var hasDate = text.AsSpan().IndexOfAny('y', 'd') >= 0;
        var hasTime = text.AsSpan().IndexOfAny('h', 's') >= 0;
        if (hasDate)
        {
            return hasTime ? NumberKind.DateTime : NumberKind.Date;
        }

        if (hasTime)
        {
            return NumberKind.Time;
        }

        if (text.Contains('m', StringComparison.Ordinal))
        {
            return NumberKind.Date;
        }

        return text.Contains('%', StringComparison.Ordinal) ? NumberKind.Percent : NumberKind.Number;
    }
}
