using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Templates;

/// <summary>
/// Python semantics for template values. Values are: <c>null</c> (None), <see cref="JinjaUndefined"/>, string,
/// bool, long (int), double (float), <see cref="List{T}"/> of object (list), object array (tuple),
/// <see cref="OrderedDictionary{TKey, TValue}"/> keyed by string (dict, insertion-ordered as in Python),
/// <see cref="TemplateNamespace"/>, <see cref="TemplateLoop"/> and <see cref="TemplateFunction"/>.
/// </summary>
internal static class TemplateValues
{
    /// <summary>Converts caller data (CLR collections, JSON elements, chat records) into template values.</summary>
    public static object? FromClr(object? value) => value switch
    {
        null => null,
        JinjaUndefined or string or bool or long or double or TemplateNamespace or TemplateFunction => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        ulong ul => (long)ul,
        float f => (double)f,
        decimal d => (double)d,
        char c => c.ToString(),
        JsonElement element => FromJson(element),
        ChatTemplateMessage message => message.ToTemplateValue(),
        ChatTemplateToolCall call => call.ToTemplateValue(),
        IDictionary<string, object?> dictionary => FromPairs(dictionary),
        IReadOnlyDictionary<string, object?> dictionary => FromPairs(dictionary),
        IDictionary dictionary => FromDictionary(dictionary),
        IEnumerable sequence => sequence.Cast<object?>().Select(FromClr).ToList(),
        _ => throw new HanlinException(
            ErrorCodes.InvalidArgument,
            $"A chat template variable of type {value.GetType().Name} is not supported; pass strings, numbers, booleans, lists or dictionaries."),
    };

    private static OrderedDictionary<string, object?> FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, item) in pairs)
        {
            result[key] = FromClr(item);
        }

        return result;
    }

    private static OrderedDictionary<string, object?> FromDictionary(IDictionary dictionary)
    {
        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            result[ToStr(FromClr(entry.Key))] = FromClr(entry.Value);
        }

        return result;
    }

    private static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    result[property.Name] = FromJson(property.Value);
                }

                return result;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(FromJson).ToList();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out var integer) && !element.GetRawText().AsSpan().ContainsAny(".eE")
                    ? (object)integer
                    : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    public static HanlinException Failure(string problem) =>
        new(ErrorCodes.ChatTemplateFailed, $"The chat template failed while rendering: {problem}.");

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        JinjaUndefined => "Undefined",
        string => "str",
        bool => "bool",
        long => "int",
        double => "float",
        object?[] => "tuple",
        IList<object?> => "list",
        OrderedDictionary<string, object?> => "dict",
        TemplateNamespace => "Namespace",
        TemplateLoop => "LoopContext",
        TemplateFunction => "function",
        _ => value.GetType().Name,
    };

    /// <summary>Raises the error Jinja raises when an undefined value is used as more than a string or a truth value.</summary>
    public static void ThrowIfUndefined(object? value)
    {
        if (value is JinjaUndefined undefined)
        {
            throw Failure(undefined.Hint);
        }
    }

    public static bool IsTruthy(object? value) => value switch
    {
        null or JinjaUndefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    /// <summary>Python's <c>str()</c>.</summary>
    public static string ToStr(object? value) => value switch
    {
        string s => s,
        JinjaUndefined => string.Empty,
        _ => Repr(value),
    };

    /// <summary>Python's <c>repr()</c>, which <c>str()</c> of a container uses for its items.</summary>
    public static string Repr(object? value)
    {
        switch (value)
        {
            case null:
                return "None";
            case JinjaUndefined:
                return string.Empty;
            case bool b:
                return b ? "True" : "False";
            case long l:
                return l.ToString(CultureInfo.InvariantCulture);
            case double d:
                return FormatFloat(d);
            case string s:
                return ReprString(s);
            case object?[] tuple:
                return tuple.Length == 1 ? $"({Repr(tuple[0])},)" : "(" + string.Join(", ", tuple.Select(Repr)) + ")";
            case IList<object?> list:
                return "[" + string.Join(", ", list.Select(Repr)) + "]";
            case OrderedDictionary<string, object?> dict:
                return "{" + string.Join(", ", dict.Select(pair => Repr(pair.Key) + ": " + Repr(pair.Value))) + "}";
            case TemplateNamespace ns:
                return "<Namespace " + string.Join(", ", ns.Attributes.Select(pair => pair.Key + "=" + Repr(pair.Value))) + ">";
            default:
                return value.ToString() ?? string.Empty;
        }
    }

    private static string ReprString(string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var builder = new StringBuilder(s.Length + 2).Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                default:
                    if (c == quote)
                    {
                        builder.Append('\\').Append(c);
                    }
                    else if (c < ' ' || c == '\x7f')
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append(quote).ToString();
    }

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, positional for exponents -4..15, else scientific.</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = value < 0;
        var (digits, exponent) = Decompose(shortest.TrimStart('-'));
        var builder = new StringBuilder();
        if (negative)
        {
            builder.Append('-');
        }

        if (exponent is >= -4 and < 16)
        {
            if (exponent < 0)
            {
                builder.Append("0.").Append('0', -exponent - 1).Append(digits);
            }
            else if (digits.Length <= exponent + 1)
            {
                builder.Append(digits).Append('0', exponent + 1 - digits.Length).Append(".0");
            }
            else
            {
                builder.Append(digits.AsSpan(0, exponent + 1)).Append('.').Append(digits.AsSpan(exponent + 1));
            }
        }
        else
        {
            builder.Append(digits[0]);
            if (digits.Length > 1)
            {
                builder.Append('.').Append(digits.AsSpan(1));
            }

            builder.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>Splits .NET's shortest round-trip text into significant digits and a decimal exponent.</summary>
    private static (string Digits, int Exponent) Decompose(string text)
    {
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : string.Empty;
        var all = integerPart + fraction;
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.TrimStart('0').TrimEnd('0');
        exponent += integerPart.Length - 1 - leadingZeros;
        return (digits.Length == 0 ? "0" : digits, exponent);
    }

    public static bool IsNumber(object? value) => value is long or double or bool;

    private static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new InvalidOperationException("Not a number."),
    };

    private static long ToLong(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new InvalidOperationException("Not an integer."),
    };

    private static bool IsInteger(object? value) => value is long or bool;

    /// <summary>Python <c>==</c>; an undefined value equals only another undefined value.</summary>
    public static new bool Equals(object? left, object? right)
    {
        if (left is JinjaUndefined || right is JinjaUndefined)
        {
            return left is JinjaUndefined && right is JinjaUndefined;
        }

        if (IsNumber(left) && IsNumber(right))
        {
            return IsInteger(left) && IsInteger(right) ? ToLong(left) == ToLong(right) : ToDouble(left) == ToDouble(right);
        }

        return (left, right) switch
        {
            (null, null) => true,
            (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
            (IList<object?> a, IList<object?> b) => a is object?[] == b is object?[] && a.Count == b.Count && a.Zip(b).All(pair => Equals(pair.First, pair.Second)),
            (OrderedDictionary<string, object?> a, OrderedDictionary<string, object?> b) =>
                a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && Equals(pair.Value, other)),
            _ => ReferenceEquals(left, right),
        };
    }

    /// <summary>Python ordering for <c>&lt;</c>, <c>&gt;</c> and friends: numbers, strings (by code point) and sequences.</summary>
    public static int Compare(object? left, object? right, string op)
    {
        if (IsNumber(left) && IsNumber(right))
        {
            return IsInteger(left) && IsInteger(right) ? ToLong(left).CompareTo(ToLong(right)) : ToDouble(left).CompareTo(ToDouble(right));
        }

        if (left is string a && right is string b)
        {
            return string.CompareOrdinal(a, b);
        }

        if (left is IList<object?> x && right is IList<object?> y)
        {
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                if (!Equals(x[i], y[i]))
                {
                    return Compare(x[i], y[i], op);
                }
            }

            return x.Count.CompareTo(y.Count);
        }

        ThrowIfUndefined(left);
        ThrowIfUndefined(right);
        throw Failure($"'{op}' is not supported between '{TypeName(left)}' and '{TypeName(right)}'");
    }

    /// <summary>Python's <c>in</c>.</summary>
    public static bool Contains(object? container, object? item) => container switch
    {
        string s when item is string sub => s.Contains(sub, StringComparison.Ordinal),
        string => throw Failure($"'in <string>' requires string as left operand, not {TypeName(item)}"),
        IList<object?> list => list.Any(element => Equals(element, item)),
        OrderedDictionary<string, object?> dict => item is string key && dict.ContainsKey(key),
        JinjaUndefined => false,
        _ => throw Failure($"argument of type '{TypeName(container)}' is not iterable"),
    };

    /// <summary>What a for loop or a filter iterates: list items, dict keys, string characters; undefined is empty.</summary>
    public static IReadOnlyList<object?> Iterate(object? value) => value switch
    {
        IList<object?> list => list.ToList(),
        OrderedDictionary<string, object?> dict => dict.Keys.Cast<object?>().ToList(),
        string s => Characters(s).Cast<object?>().ToList(),
        JinjaUndefined => [],
        _ => throw Failure($"'{TypeName(value)}' object is not iterable"),
    };

    /// <summary>The code points of a string as Python sees them (a surrogate pair is one character).</summary>
    public static List<string> Characters(string s)
    {
        var result = new List<string>(s.Length);
        for (var i = 0; i < s.Length; i += char.IsSurrogatePair(s, i) ? 2 : 1)
        {
            result.Add(char.IsSurrogatePair(s, i) ? s.Substring(i, 2) : s[i].ToString());
        }

        return result;
    }

    public static long Length(object? value) => value switch
    {
        string s => s.Length - s.Count(char.IsLowSurrogate),
        ICollection c => c.Count,
        JinjaUndefined => 0,
        _ => throw Failure($"object of type '{TypeName(value)}' has no len()"),
    };

    /// <summary>Jinja's <c>obj.name</c>: a method or attribute first, then a key; missing gives undefined.</summary>
    public static object? GetAttribute(object? owner, string name)
    {
        ThrowIfUndefined(owner);
        switch (owner)
        {
            case TemplateLoop loop:
                return loop.Attribute(name);
            case TemplateNamespace ns:
                return ns.Attributes.TryGetValue(name, out var attribute) ? attribute : JinjaUndefined.Attribute(owner, name);
            case OrderedDictionary<string, object?> dict:
                return (object?)TemplateMethods.Bind(owner, name) ?? (dict.TryGetValue(name, out var value) ? value : JinjaUndefined.Attribute(owner, name));
            default:
                return (object?)TemplateMethods.Bind(owner, name) ?? JinjaUndefined.Attribute(owner, name);
        }
    }

    /// <summary>Jinja's <c>obj[key]</c>: the item first, then (for a string key) an attribute; missing gives undefined.</summary>
    public static object? GetItem(object? owner, object? key)
    {
        ThrowIfUndefined(owner);
        switch (owner)
        {
            case OrderedDictionary<string, object?> dict when key is string name:
                return dict.TryGetValue(name, out var value) ? value : GetAttribute(owner, name);
            case IList<object?> list when key is long or bool:
                var index = ToLong(key);
                index = index < 0 ? index + list.Count : index;
                return index >= 0 && index < list.Count ? list[(int)index] : new JinjaUndefined($"'{TypeName(owner)} object' has no element {ToLong(key)}");
            case string s when key is long or bool:
                var characters = Characters(s);
                var position = ToLong(key);
                position = position < 0 ? position + characters.Count : position;
                return position >= 0 && position < characters.Count ? characters[(int)position] : new JinjaUndefined($"'str object' has no element {ToLong(key)}");
            default:
                return key is string attribute ? GetAttribute(owner, attribute) : new JinjaUndefined($"'{TypeName(owner)} object' has no element {Repr(key)}");
        }
    }

    /// <summary>Python slicing <c>seq[start:stop:step]</c> of a list, tuple or string.</summary>
    public static object? Slice(object? owner, object? start, object? stop, object? step)
    {
        ThrowIfUndefined(owner);
        var stepValue = step is null ? 1 : ToLong(step);
        if (stepValue == 0)
        {
            throw Failure("slice step cannot be zero");
        }

        List<object?> items = owner switch
        {
            string s => Characters(s).Cast<object?>().ToList(),
            IList<object?> list => list.ToList(),
            _ => throw Failure($"'{TypeName(owner)}' object is not subscriptable"),
        };
        var count = items.Count;
        long Clamp(object? bound, long fallback, long low, long high)
        {
            if (bound is null)
            {
                return fallback;
            }

            var value = ToLong(bound);
            value = value < 0 ? value + count : value;
            return Math.Clamp(value, low, high);
        }

        var result = new List<object?>();
        if (stepValue > 0)
        {
            for (var i = Clamp(start, 0, 0, count); i < Clamp(stop, count, 0, count); i += stepValue)
            {
                result.Add(items[(int)i]);
            }
        }
        else
        {
            for (var i = Clamp(start, count - 1, -1, count - 1); i > Clamp(stop, -1, -1, count - 1); i += stepValue)
            {
                result.Add(items[(int)i]);
            }
        }

        return owner switch
        {
            string => string.Concat(result.Cast<string>()),
            object?[] => result.ToArray(),
            _ => result,
        };
    }

    public static object? Binary(string op, object? left, object? right)
    {
        if (op == "~")
        {
            return ToStr(left) + ToStr(right);
        }

        ThrowIfUndefined(left);
        ThrowIfUndefined(right);
        switch (op)
        {
            case "+" when left is string a && right is string b:
                return a + b;
            case "+" when left is IList<object?> a && right is IList<object?> b:
                return left is object?[] && right is object?[] ? a.Concat(b).ToArray() : a.Concat(b).ToList();
            case "*" when left is string s && right is long or bool:
                return Repeat(s, ToLong(right));
            case "*" when right is string s && left is long or bool:
                return Repeat(s, ToLong(left));
            case "*" when left is IList<object?> list && right is long or bool:
                return Enumerable.Repeat(list, (int)Math.Max(0, ToLong(right))).SelectMany(x => x).ToList();
        }

        if (!IsNumber(left) || !IsNumber(right))
        {
            throw Failure($"unsupported operand types for {op}: '{TypeName(left)}' and '{TypeName(right)}'");
        }

        var integers = IsInteger(left) && IsInteger(right);
        switch (op)
        {
            case "+": return integers ? (object)(ToLong(left) + ToLong(right)) : ToDouble(left) + ToDouble(right);
            case "-": return integers ? (object)(ToLong(left) - ToLong(right)) : ToDouble(left) - ToDouble(right);
            case "*": return integers ? (object)(ToLong(left) * ToLong(right)) : ToDouble(left) * ToDouble(right);
            case "/":
                return ToDouble(right) == 0 ? throw Failure("division by zero") : ToDouble(left) / ToDouble(right);
            case "//":
                if (ToDouble(right) == 0)
                {
                    throw Failure("integer division or modulo by zero");
                }

                return integers ? (object)(long)Math.Floor((double)ToLong(left) / ToLong(right)) : Math.Floor(ToDouble(left) / ToDouble(right));
            case "%":
                if (ToDouble(right) == 0)
                {
                    throw Failure("integer division or modulo by zero");
                }

                if (integers)
                {
                    var remainder = ToLong(left) % ToLong(right);
                    return remainder != 0 && (remainder < 0) != (ToLong(right) < 0) ? remainder + ToLong(right) : remainder;
                }

                var r = ToDouble(left) % ToDouble(right);
                return r != 0 && (r < 0) != (ToDouble(right) < 0) ? r + ToDouble(right) : r;
            case "**":
                return integers && ToLong(right) >= 0 ? (object)(long)Math.Pow(ToLong(left), ToLong(right)) : Math.Pow(ToDouble(left), ToDouble(right));
            default:
                throw Failure($"unknown operator '{op}'");
        }
    }

    private static string Repeat(string s, long times) => times <= 0 ? string.Empty : new StringBuilder().Insert(0, s, (int)times).ToString();

    public static object? Negate(object? value)
    {
        ThrowIfUndefined(value);
        return value switch
        {
            long l => (object)(-l),
            double d => -d,
            bool b => b ? -1L : 0L,
            _ => throw Failure($"bad operand type for unary -: '{TypeName(value)}'"),
        };
    }
}
