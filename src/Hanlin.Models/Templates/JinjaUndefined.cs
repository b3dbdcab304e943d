namespace Hanlin.Models.Templates;

/// <summary>
/// Jinja's default <c>Undefined</c>: what a missing variable, key, attribute or index evaluates to. It is
/// falsy, renders as an empty string, iterates as empty and has length 0, but any attribute access, item
/// access, call or arithmetic on it fails with <see cref="Hint"/>.
/// </summary>
internal sealed class JinjaUndefined(string hint)
{
    /// <summary>Why the value is undefined, phrased as Jinja phrases it (<c>'x' is undefined</c>).</summary>
    public string Hint { get; } = hint;

    public static JinjaUndefined Variable(string name) => new($"'{name}' is undefined");

    public static JinjaUndefined Attribute(object? owner, string attribute) =>
        new($"'{TemplateValues.TypeName(owner)}' has no attribute '{attribute}'");

    public override string ToString() => string.Empty;
}
