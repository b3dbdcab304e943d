using System.Globalization;
using System.Text;

namespace Hanlin.Models.Templates;

/// <summary>
/// The Python methods chat templates call on values: <c>str.strip/split/startswith/...</c> and
/// <c>dict.get/items/keys/values</c>. Mutating methods (<c>list.append</c>, <c>dict.update</c>) are absent, as in
/// transformers' ImmutableSandboxedEnvironment.
/// </summary>
internal static class TemplateMethods
{
    /// <summary>The bound method <paramref name="name"/> of <paramref name="owner"/>, or null when it has none.</summary>
    public static TemplateFunction? Bind(object? owner, string name) => owner switch
    {
        string s => BindString(s, name),
        OrderedDictionary<string, object?> dict => BindDict(dict, name),
        _ => null,
    };

    private static TemplateFunction? BindString(string s, string name)
    {
        Func<TemplateArguments, object?>? body = name switch
        {
            "strip" => a => Strip(s, a.Get(0, "chars"), true, true),
            "lstrip" => a => Strip(s, a.Get(0, "chars"), true, false),
            "rstrip" => a => Strip(s, a.Get(0, "chars"), false, true),
            "upper" => _ => s.ToUpperInvariant(),
            "lower" => _ => s.ToLowerInvariant(),
            "title" => _ => Title(s),
            "capitalize" => _ => Capitalize(s),
            "split" => a => Split(s, a.Get(0, "sep"), a.Get(1, "maxsplit", -1L)),
            "startswith" => a => Affix(s, a.Required(0, "prefix", "str.startswith"), (x, p) => x.StartsWith(p, StringComparison.Ordinal)),
            "endswith" => a => Affix(s, a.Required(0, "suffix", "str.endswith"), (x, p) => x.EndsWith(p, StringComparison.Ordinal)),
            "replace" => a => Replace(s, a.Required(0, "old", "str.replace"), a.Required(1, "new", "str.replace"), a.Get(2, "count", -1L)),
            "find" => a => (long)s.IndexOf(RequireString(a.Required(0, "sub", "str.find")), StringComparison.Ordinal),
            "count" => a => CountOccurrences(s, RequireString(a.Required(0, "sub", "str.count"))),
            "join" => a => string.Join(s, TemplateValues.Iterate(a.Required(0, "iterable", "str.join")).Select(RequireString)),
            "splitlines" => _ => SplitLines(s),
            "isdigit" => _ => s.Length > 0 && s.All(char.IsDigit),
            "isspace" => _ => s.Length > 0 && s.All(char.IsWhiteSpace),
            "isalpha" => _ => s.Length > 0 && s.All(char.IsLetter),
            "islower" => _ => s.Any(char.IsLetter) && !s.Any(char.IsUpper),
            "isupper" => _ => s.Any(char.IsLetter) && !s.Any(char.IsLower),
            _ => null,
        };
        return body is null ? null : new TemplateFunction("str." + name, body);
    }

    private static TemplateFunction? BindDict(OrderedDictionary<string, object?> dict, string name)
    {
        Func<TemplateArguments, object?>? body = name switch
        {
            "get" => a => a.Required(0, "key", "dict.get") is string key && dict.TryGetValue(key, out var value) ? value : a.Get(1, "default"),
            "items" => _ => Items(dict),
            "keys" => _ => dict.Keys.Cast<object?>().ToList(),
            "values" => _ => dict.Values.ToList(),
            _ => null,
        };
        return body is null ? null : new TemplateFunction("dict." + name, body);
    }

    public static List<object?> Items(OrderedDictionary<string, object?> dict) =>
        dict.Select(pair => (object?)new object?[] { pair.Key, pair.Value }).ToList();

    private static string RequireString(object? value) =>
        value as string ?? throw TemplateValues.Failure($"expected a string, got '{TemplateValues.TypeName(value)}'");

    public static string Strip(string s, object? chars, bool left, bool right)
    {
        if (chars is null or JinjaUndefined)
        {
            return left && right ? s.Trim() : left ? s.TrimStart() : s.TrimEnd();
        }

        var set = RequireString(chars).ToCharArray();
        return left && right ? s.Trim(set) : left ? s.TrimStart(set) : s.TrimEnd(set);
    }

    private static List<object?> Split(string s, object? separator, object? maxSplit)
    {
        var limit = maxSplit is long l ? l : -1;
        var result = new List<object?>();
        if (separator is null)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                if (i >= s.Length)
                {
                    break;
                }

                if (limit >= 0 && result.Count == limit)
                {
                    result.Add(s[i..].TrimEnd());
                    break;
                }

                var start = i;
                while (i < s.Length && !char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                result.Add(s[start..i]);
            }

            return result;
        }

        var sep = RequireString(separator);
        if (sep.Length == 0)
        {
            throw TemplateValues.Failure("empty separator");
        }

        var position = 0;
        while (limit < 0 || result.Count < limit)
        {
            var next = s.IndexOf(sep, position, StringComparison.Ordinal);
            if (next < 0)
            {
                break;
            }

            result.Add(s[position..next]);
            position = next + sep.Length;
        }

        result.Add(s[position..]);
        return result;
    }

    private static List<object?> SplitLines(string s)
    {
        var lines = s.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Cast<object?>().ToList();
        if (lines.Count > 0 && (string?)lines[^1] == string.Empty)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static bool Affix(string s, object? affix, Func<string, string, bool> test) => affix switch
    {
        string single => test(s, single),
        IList<object?> options => options.Any(option => test(s, RequireString(option))),
        _ => throw TemplateValues.Failure($"startswith/endswith first arg must be str or a tuple of str, not {TemplateValues.TypeName(affix)}"),
    };

    public static string Replace(string s, object? old, object? replacement, object? count)
    {
        var from = TemplateValues.ToStr(old);
        var to = TemplateValues.ToStr(replacement);
        var limit = count is long l ? l : -1;
        if (limit < 0)
        {
            return from.Length == 0 ? string.Join(to, TemplateValues.Characters(s).Prepend(string.Empty).Append(string.Empty)) : s.Replace(from, to, StringComparison.Ordinal);
        }

        var builder = new StringBuilder();
        var position = 0;
        for (var done = 0; done < limit && from.Length > 0; done++)
        {
            var next = s.IndexOf(from, position, StringComparison.Ordinal);
            if (next < 0)
            {
                break;
            }

            builder.Append(s, position, next - position).Append(to);
            position = next + from.Length;
        }

        return builder.Append(s, position, s.Length - position).ToString();
    }

    private static long CountOccurrences(string s, string sub)
    {
        if (sub.Length == 0)
        {
            return TemplateValues.Length(s) + 1;
        }

        long count = 0;
        for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Python's <c>str.title()</c>: a letter after a non-letter is upper-cased, every other letter lower-cased.</summary>
    public static string Title(string s)
    {
        var builder = new StringBuilder(s.Length);
        var previousCased = false;
        foreach (var c in s)
        {
            builder.Append(previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousCased = char.IsLetter(c);
        }

        return builder.ToString();
    }

    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]).ToString(CultureInfo.InvariantCulture) + s[1..].ToLowerInvariant();
}
