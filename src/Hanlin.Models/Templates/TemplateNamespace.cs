namespace Hanlin.Models.Templates;

/// <summary>
/// The object <c>namespace(...)</c> returns: the one mutable value in a template, so that
/// <c>{% set ns.found = true %}</c> inside a loop is visible after it (plain <c>set</c> in a loop is not).
/// </summary>
internal sealed class TemplateNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
