using System.Globalization;
using System.Text;

namespace Hanlin.Models.Templates;

/// <summary>
/// Python's <c>json.dumps</c>, which transformers installs as the <c>tojson</c> filter (with
/// <c>ensure_ascii=False</c> by default, and no HTML escaping unlike Jinja's own <c>tojson</c>). Prompts must be
/// byte-identical, so separators, indentation, escapes and float formatting follow Python, not System.Text.Json.
/// </summary>
internal static class PythonJson
{
    public static string Dumps(object? value, bool ensureAscii, string? indent, string? itemSeparator, string? keySeparator, bool sortKeys)
    {
        var options = new Options(
            ensureAscii,
            indent,
            itemSeparator ?? (indent is null ? ", " : ","),
            keySeparator ?? ": ",
            sortKeys);
        var builder = new StringBuilder();
        Write(builder, value, options, 0);
        return builder.ToString();
    }

    private sealed record Options(bool EnsureAscii, string? Indent, string ItemSeparator, string KeySeparator, bool SortKeys);

    private static void Write(StringBuilder builder, object? value, Options options, int level)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            case long l:
                builder.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                builder.Append(double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : TemplateValues.FormatFloat(d));
                break;
            case string s:
                WriteString(builder, s, options.EnsureAscii);
                break;
            case IList<object?> list:
                WriteContainer(builder, '[', ']', list.Count, options, level, (i, next) => Write(builder, list[i], options, next));
                break;
            case OrderedDictionary<string, object?> dict:
                var pairs = options.SortKeys ? dict.OrderBy(p => p.Key, StringComparer.Ordinal).ToList() : dict.ToList();
                WriteContainer(builder, '{', '}', pairs.Count, options, level, (i, next) =>
                {
                    WriteString(builder, pairs[i].Key, options.EnsureAscii);
                    builder.Append(options.KeySeparator);
                    Write(builder, pairs[i].Value, options, next);
                });
                break;
            default:
                throw TemplateValues.Failure($"Object of type {TemplateValues.TypeName(value)} is not JSON serializable");
        }
    }

    private static void WriteContainer(StringBuilder builder, char open, char close, int count, Options options, int level, Action<int, int> writeItem)
    {
        if (count == 0)
        {
            builder.Append(open).Append(close);
            return;
        }

        builder.Append(open);
        var next = level + 1;
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                builder.Append(options.ItemSeparator);
            }

            if (options.Indent is not null)
            {
                builder.Append('\n').Insert(builder.Length, options.Indent, next);
            }

            writeItem(i, next);
        }

        if (options.Indent is not null)
        {
            builder.Append('\n').Insert(builder.Length, options.Indent, level);
        }

        builder.Append(close);
    }

    private static void WriteString(StringBuilder builder, string s, bool ensureAscii)
    {
        builder.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < ' ' || (ensureAscii && c > '~'))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
