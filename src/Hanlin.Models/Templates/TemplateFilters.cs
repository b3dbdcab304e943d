using System.Globalization;
using System.Text;

namespace Hanlin.Models.Templates;

/// <summary>
/// The Jinja filters chat templates use, with Jinja's semantics, plus transformers' <c>tojson</c> override
/// (Python <c>json.dumps</c> with <c>ensure_ascii=False</c>, optional <c>indent</c>, <c>separators</c>, <c>sort_keys</c>).
/// </summary>
internal static class TemplateFilters
{
    public static object? Apply(string name, object? value, TemplateArguments a)
    {
        switch (name)
        {
            case "trim":
                return TemplateMethods.Strip(TemplateValues.ToStr(value), a.Get(0, "chars"), true, true);
            case "tojson":
                return ToJson(value, a);
            case "length" or "count":
                return TemplateValues.Length(value);
            case "upper":
                return TemplateValues.ToStr(value).ToUpperInvariant();
            case "lower":
                return TemplateValues.ToStr(value).ToLowerInvariant();
            case "capitalize":
                return TemplateMethods.Capitalize(TemplateValues.ToStr(value));
            case "title":
                return Title(TemplateValues.ToStr(value));
            case "default" or "d":
                var useDefault = value is JinjaUndefined || (TemplateValues.IsTruthy(a.Get(1, "boolean", false)) && !TemplateValues.IsTruthy(value));
                return useDefault ? a.Get(0, "default_value", string.Empty) : value;
            case "join":
                var attribute = a.Get(1, "attribute");
                var parts = TemplateValues.Iterate(value).Select(item => attribute is null ? item : Attribute(item, attribute));
                return string.Join(TemplateValues.ToStr(a.Get(0, "d", string.Empty)), parts.Select(TemplateValues.ToStr));
            case "first":
                var all = TemplateValues.Iterate(value);
                return all.Count > 0 ? all[0] : new JinjaUndefined("No first item, sequence was empty.");
            case "last":
                TemplateValues.ThrowIfUndefined(value);
                var items = TemplateValues.Iterate(value);
                return items.Count > 0 ? items[^1] : new JinjaUndefined("No last item, sequence was empty.");
            case "list":
                return TemplateValues.Iterate(value).ToList();
            case "string":
                return TemplateValues.ToStr(value);
            case "int":
                return ToInt(value, a.Get(0, "default", 0L));
            case "float":
                return ToFloat(value, a.Get(0, "default", 0.0));
            case "abs":
                return value switch
                {
                    long l => (object)Math.Abs(l),
                    double d => Math.Abs(d),
                    bool b => b ? 1L : 0L,
                    _ => throw TemplateValues.Failure($"bad operand type for abs(): '{TemplateValues.TypeName(value)}'"),
                };
            case "replace":
                return TemplateMethods.Replace(TemplateValues.ToStr(value), a.Required(0, "old", "replace"), a.Required(1, "new", "replace"), a.Get(2, "count"));
            case "items":
                return value switch
                {
                    OrderedDictionary<string, object?> dict => TemplateMethods.Items(dict),
                    JinjaUndefined => new List<object?>(),
                    _ => throw TemplateValues.Failure($"can only get item pairs from a mapping, not '{TemplateValues.TypeName(value)}'"),
                };
            case "select" or "reject":
                return SelectByTest(value, a, 0, name == "select", item => item);
            case "selectattr" or "rejectattr":
                var attributeName = a.Required(0, "attribute", name);
                return SelectByTest(value, a, 1, name == "selectattr", item => Attribute(item, attributeName));
            case "map":
                return Map(value, a);
            case "unique":
                var unique = new List<object?>();
                foreach (var item in TemplateValues.Iterate(value))
                {
                    if (!unique.Any(seen => TemplateValues.Equals(seen, item)))
                    {
                        unique.Add(item);
                    }
                }

                return unique;
            case "indent":
                return Indent(TemplateValues.ToStr(value), a);
            case "safe":
                return value;
            case "round":
                return Round(value, a);
            case "sort":
                return Sort(value, a);
            default:
                throw TemplateValues.Failure($"no filter named '{name}'");
        }
    }

    public static bool Exists(string name) => name is "trim" or "tojson" or "length" or "count" or "upper" or "lower"
        or "capitalize" or "title" or "default" or "d" or "join" or "first" or "last" or "list" or "string" or "int"
        or "float" or "abs" or "replace" or "items" or "select" or "reject" or "selectattr" or "rejectattr" or "map"
        or "unique" or "indent" or "safe" or "round" or "sort";

    private static object? Attribute(object? item, object? path)
    {
        var current = item;
        foreach (var part in TemplateValues.ToStr(path).Split('.'))
        {
            current = long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                ? TemplateValues.GetItem(current, index)
                : TemplateValues.GetItem(current, part);
        }

        return current;
    }

    private static List<object?> SelectByTest(object? value, TemplateArguments a, int testIndex, bool keep, Func<object?, object?> pick)
    {
        var test = a.Positional.Count > testIndex ? TemplateValues.ToStr(a.Positional[testIndex]) : null;
        var testArguments = new TemplateArguments(a.Positional.Skip(testIndex + 1).ToArray());
        return TemplateValues.Iterate(value)
            .Where(item =>
            {
                var subject = pick(item);
                var passed = test is null ? TemplateValues.IsTruthy(subject) : TemplateTests.Apply(test, subject, testArguments);
                return passed == keep;
            })
            .ToList();
    }

    private static List<object?> Map(object? value, TemplateArguments a)
    {
        if (a.Named.TryGetValue("attribute", out var attribute))
        {
            var fallback = a.Named.TryGetValue("default", out var d) ? d : null;
            var hasFallback = a.Named.ContainsKey("default");
            return TemplateValues.Iterate(value)
                .Select(item => Attribute(item, attribute) is var v && v is JinjaUndefined && hasFallback ? fallback : v)
                .ToList();
        }

        var filter = TemplateValues.ToStr(a.Required(0, "filter", "map"));
        var filterArguments = new TemplateArguments(a.Positional.Skip(1).ToArray());
        return TemplateValues.Iterate(value).Select(item => Apply(filter, item, filterArguments)).ToList();
    }

    private static string ToJson(object? value, TemplateArguments a)
    {
        var indent = a.Get(1, "indent") switch
        {
            null => null,
            long spaces => new string(' ', (int)Math.Max(0, spaces)),
            string text => text,
            var other => throw TemplateValues.Failure($"tojson indent must be an int or a string, not '{TemplateValues.TypeName(other)}'"),
        };
        string? itemSeparator = null;
        string? keySeparator = null;
        if (a.Get(2, "separators") is IList<object?> { Count: 2 } separators)
        {
            itemSeparator = TemplateValues.ToStr(separators[0]);
            keySeparator = TemplateValues.ToStr(separators[1]);
        }

        return PythonJson.Dumps(
            value,
            TemplateValues.IsTruthy(a.Get(0, "ensure_ascii", false)),
            indent,
            itemSeparator,
            keySeparator,
            TemplateValues.IsTruthy(a.Get(3, "sort_keys", false)));
    }

    private static object? ToInt(object? value, object? fallback)
    {
        switch (value)
        {
            case long l:
                return l;
            case bool b:
                return b ? 1L : 0L;
            case double d when !double.IsNaN(d) && !double.IsInfinity(d):
                return (long)Math.Truncate(d);
            case string s:
                var text = s.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && !double.IsInfinity(real) && !double.IsNaN(real)
                    ? (long)Math.Truncate(real)
                    : fallback;
            default:
                return fallback;
        }
    }

    private static object? ToFloat(object? value, object? fallback) => value switch
    {
        double d => d,
        long l => (double)l,
        bool b => b ? 1.0 : 0.0,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => fallback,
    };

    /// <summary>Jinja's <c>title</c> filter (not Python's str.title): words start after spaces, dashes and opening brackets.</summary>
    private static string Title(string s)
    {
        var builder = new StringBuilder(s.Length);
        var wordStart = true;
        foreach (var c in s)
        {
            var separator = char.IsWhiteSpace(c) || c is '-' or '(' or '{' or '[' or '<';
            builder.Append(separator ? c : wordStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            wordStart = separator;
        }

        return builder.ToString();
    }

    private static string Indent(string s, TemplateArguments a)
    {
        var width = a.Get(0, "width", 4L) switch
        {
            long spaces => new string(' ', (int)spaces),
            var other => TemplateValues.ToStr(other),
        };
        var first = TemplateValues.IsTruthy(a.Get(1, "first", false));
        var blank = TemplateValues.IsTruthy(a.Get(2, "blank", false));
        var lines = s.Split('\n');
        var builder = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('\n');
            }

            var indentThis = (i > 0 || first) && (blank || lines[i].Length > 0);
            builder.Append(indentThis ? width : string.Empty).Append(lines[i]);
        }

        return builder.ToString();
    }

    /// <summary>Jinja's <c>sort</c>: stable, and case-insensitive for strings unless <c>case_sensitive</c>.</summary>
    private static List<object?> Sort(object? value, TemplateArguments a)
    {
        var reverse = TemplateValues.IsTruthy(a.Get(0, "reverse", false));
        var caseSensitive = TemplateValues.IsTruthy(a.Get(1, "case_sensitive", false));
        var attribute = a.Get(2, "attribute");
        object? Key(object? item)
        {
            var key = attribute is null ? item : Attribute(item, attribute);
            return !caseSensitive && key is string s ? s.ToLowerInvariant() : key;
        }

        var comparer = Comparer<object?>.Create((x, y) => TemplateValues.Compare(x, y, "<"));
        var items = TemplateValues.Iterate(value);

        // Both orders are stable, as Python's sorted(reverse=True) is.
        return (reverse ? items.OrderByDescending(Key, comparer) : items.OrderBy(Key, comparer)).ToList();
    }

    private static object Round(object? value, TemplateArguments a)
    {
        if (value is long or bool && (a.Get(1, "method", "common") as string) == "common")
        {
            return value is bool b ? (b ? 1L : 0L) : value;
        }

        var number = value switch
        {
            long l => l,
            double d => d,
            bool b => b ? 1 : 0,
            _ => throw TemplateValues.Failure($"round needs a number, got '{TemplateValues.TypeName(value)}'"),
        };
        var precision = (int)(a.Get(0, "precision", 0L) as long? ?? 0);
        var method = TemplateValues.ToStr(a.Get(1, "method", "common"));
        var factor = Math.Pow(10, precision);
        return method switch
        {
            "ceil" => Math.Ceiling(number * factor) / factor,
            "floor" => Math.Floor(number * factor) / factor,
            // Jinja's "common" is Python's round(): half to even.
            _ => Math.Round(number, precision, MidpointRounding.ToEven),
        };
    }
}
