namespace Hanlin.Models.Templates;

/// <summary>Jinja's built-in tests (<c>x is defined</c>, <c>x is string</c>, ...), with Jinja's exact meanings.</summary>
internal static class TemplateTests
{
    public static bool Apply(string name, object? value, TemplateArguments arguments)
    {
        object? Argument() => arguments.Required(0, "other", "test '" + name + "'");
        return name switch
        {
            "defined" => value is not JinjaUndefined,
            "undefined" => value is JinjaUndefined,
            "none" => value is null,
            "string" => value is string,
            "mapping" => value is OrderedDictionary<string, object?> or TemplateNamespace,
            // Jinja tests iterability by calling iter(): undefined iterates (as empty), so it counts.
            "iterable" => value is string or IList<object?> or OrderedDictionary<string, object?> or JinjaUndefined,
            "sequence" => value is string or IList<object?> or OrderedDictionary<string, object?>,
            "number" => value is long or double or bool,
            "integer" => value is long,
            "float" => value is double,
            "boolean" => value is bool,
            "true" => value is true,
            "false" => value is false,
            "callable" => value is TemplateFunction,
            "odd" => RequireInteger(value, name) % 2 != 0,
            "even" => RequireInteger(value, name) % 2 == 0,
            "divisibleby" => RequireInteger(value, name) % RequireInteger(Argument(), name) == 0,
            "lower" => value is string s && string.Equals(s, s.ToLowerInvariant(), StringComparison.Ordinal),
            "upper" => value is string u && string.Equals(u, u.ToUpperInvariant(), StringComparison.Ordinal),
            "eq" or "equalto" or "==" => TemplateValues.Equals(value, Argument()),
            "ne" or "!=" => !TemplateValues.Equals(value, Argument()),
            "lt" or "lessthan" or "<" => TemplateValues.Compare(value, Argument(), "<") < 0,
            "le" or "<=" => TemplateValues.Compare(value, Argument(), "<=") <= 0,
            "gt" or "greaterthan" or ">" => TemplateValues.Compare(value, Argument(), ">") > 0,
            "ge" or ">=" => TemplateValues.Compare(value, Argument(), ">=") >= 0,
            "in" => TemplateValues.Contains(Argument(), value),
            "sameas" => ReferenceEquals(value, Argument()) || (value is null && Argument() is null)
                || (value is bool b && Argument() is bool c && b == c),
            _ => throw TemplateValues.Failure($"no test named '{name}'"),
        };
    }

    public static bool Exists(string name) => name is "defined" or "undefined" or "none" or "string" or "mapping" or "iterable"
        or "sequence" or "number" or "integer" or "float" or "boolean" or "true" or "false" or "callable" or "odd" or "even"
        or "divisibleby" or "lower" or "upper" or "eq" or "equalto" or "==" or "ne" or "!=" or "lt" or "lessthan" or "<"
        or "le" or "<=" or "gt" or "greaterthan" or ">" or "ge" or ">=" or "in" or "sameas";

    private static long RequireInteger(object? value, string test) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw TemplateValues.Failure($"test '{test}' needs an integer, got '{TemplateValues.TypeName(value)}'"),
    };
}
