namespace Hanlin.Models.Templates;

/// <summary>
/// One level of variables. Jinja gives each loop iteration and each macro call its own level, so a
/// <c>set</c> there does not leak out, while <c>if</c> blocks share their enclosing level.
/// </summary>
internal sealed class TemplateScope(TemplateScope? parent)
{
    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);

    public TemplateScope? Parent { get; } = parent;

    public object? Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._variables.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return JinjaUndefined.Variable(name);
    }

    public void Set(string name, object? value) => _variables[name] = value;
}
