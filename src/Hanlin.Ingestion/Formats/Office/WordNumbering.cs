using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// List numbering of a DOCX (numbering.xml): keeps the running counters per list while the body is read in
/// order and renders an ordered item's label ("3.", "1.2", "一、", "(b)"). Bullets have no label.
/// </summary>
internal sealed class WordNumbering
{
    private const int Levels = 9;
    private const int Unset = int.MinValue;

    private readonly Dictionary<int, LevelFormat?[]> _abstracts = [];
    private readonly Dictionary<int, (int AbstractId, Dictionary<int, int> StartOverrides)> _instances = [];
    private readonly Dictionary<int, int[]> _counters = [];

    public WordNumbering(Numbering? numbering)
    {
        if (numbering is null)
        {
            return;
        }

        foreach (var abstractNum in numbering.Elements<AbstractNum>())
        {
            if (abstractNum.AbstractNumberId?.Value is not { } id)
            {
                continue;
            }

            var levels = new LevelFormat?[Levels];
            foreach (var level in abstractNum.Elements<Level>())
            {
                if (level.LevelIndex?.Value is { } index and >= 0 and < Levels)
                {
                    levels[index] = new LevelFormat(
                        level.NumberingFormat?.Val?.InnerText ?? "decimal",
                        level.LevelText?.Val?.Value,
                        level.StartNumberingValue?.Val?.Value ?? 1);
                }
            }

            _abstracts.TryAdd(id, levels);
        }

        foreach (var instance in numbering.Elements<NumberingInstance>())
        {
            if (instance.NumberID?.Value is not { } numId || instance.AbstractNumId?.Val?.Value is not { } abstractId)
            {
                continue;
            }

            var overrides = new Dictionary<int, int>();
            foreach (var levelOverride in instance.Elements<LevelOverride>())
            {
                if (levelOverride.LevelIndex?.Value is { } index && levelOverride.StartOverrideNumberingValue?.Val?.Value is { } start)
                {
                    overrides[index] = start;
                }
            }

            _instances.TryAdd(numId, (abstractId, overrides));
        }
    }

    /// <summary>Advances list <paramref name="numberingId"/> at <paramref name="level"/> and returns the item's label, or null for bullets.</summary>
    public string? NextLabel(int numberingId, int level)
    {
        if (!_instances.TryGetValue(numberingId, out var instance) || !_abstracts.TryGetValue(instance.AbstractId, out var formats))
        {
            return null;
        }

        level = Math.Clamp(level, 0, Levels - 1);
        if (!_counters.TryGetValue(numberingId, out var counters))
        {
            counters = new int[Levels];
            Array.Fill(counters, Unset);
            _counters[numberingId] = counters;
        }

        counters[level] = counters[level] == Unset ? Start(instance.StartOverrides, formats, level) : counters[level] + 1;
        for (var deeper = level + 1; deeper < Levels; deeper++)
        {
            counters[deeper] = Unset;
        }

        var format = formats[level];
        if (format is null || format.Kind is "bullet" or "none")
        {
            return null;
        }

        var template = format.Text ?? $"%{level + 1}.";
        var label = new StringBuilder(template.Length + 8);
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '%' && i + 1 < template.Length && template[i + 1] is >= '1' and <= '9')
            {
                var referenced = template[++i] - '1';
                var value = counters[referenced] == Unset ? Start(instance.StartOverrides, formats, referenced) : counters[referenced];
                label.Append(Render(value, formats[referenced]?.Kind ?? "decimal"));
            }
            else
            {
                label.Append(template[i]);
            }
        }

        return label.ToString().Trim();
    }

    private static int Start(Dictionary<int, int> overrides, LevelFormat?[] formats, int level) =>
        overrides.TryGetValue(level, out var start) ? start : formats[level]?.Start ?? 1;

    private static string Render(int value, string kind) => kind switch
    {
        "decimalZero" => value.ToString("00", CultureInfo.InvariantCulture),
        "upperRoman" => Roman(value),
        "lowerRoman" => Roman(value).ToLowerInvariant(),
        "upperLetter" => Letter(value, 'A'),
        "lowerLetter" => Letter(value, 'a'),
        "chineseCounting" or "chineseCountingThousand" or "ideographDigital" or "japaneseCounting" => ChineseCounting(value),
        "ideographTraditional" when value is >= 1 and <= 10 => "甲乙丙丁戊己庚辛壬癸"[value - 1].ToString(),
        "decimalEnclosedCircle" or "decimalEnclosedCircleChinese" when value is >= 1 and <= 20 => ((char)('①' + value - 1)).ToString(),
        "decimalFullWidth" => string.Concat(value.ToString(CultureInfo.InvariantCulture).Select(c => (char)(c - '0' + '０'))),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    private static string Letter(int value, char first)
    {
        if (value < 1)
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        // Word repeats the letter past Z: 27 -> "AA", 28 -> "BB".
        var letter = (char)(first + ((value - 1) % 26));
        return new string(letter, ((value - 1) / 26) + 1);
    }

    private static string Roman(int value)
    {
        if (value is < 1 or > 3999)
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        ReadOnlySpan<int> values = [1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1];
        string[] symbols = ["M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"];
        var sb = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            while (value >= values[i])
            {
                sb.Append(symbols[i]);
                value -= values[i];
            }
        }

        return sb.ToString();
    }

    private static string ChineseCounting(int value)
    {
        const string Digits = "〇一二三四五六七八九";
        return value switch
        {
            >= 1 and <= 9 => Digits[value].ToString(),
            10 => "十",
            > 10 and < 20 => "十" + Digits[value % 10],
            >= 20 and < 100 => Digits[value / 10] + "十" + (value % 10 == 0 ? string.Empty : Digits[value % 10].ToString()),
            _ => value.ToString(CultureInfo.InvariantCulture),
        };
    }

    private sealed record LevelFormat(string Kind, string? Text, int Start);
}
