namespace Hanlin.Models.Templates;

/// <summary>A callable template value: a global (<c>raise_exception</c>, <c>namespace</c>), a macro or a bound method.</summary>
internal sealed class TemplateFunction(string name, Func<TemplateArguments, object?> invoke)
{
    public string Name { get; } = name;

    public object? Invoke(TemplateArguments arguments) => invoke(arguments);

    public override string ToString() => $"<function {Name}>";
}
