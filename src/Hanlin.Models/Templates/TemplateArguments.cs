using Hanlin.Core.Errors;

namespace Hanlin.Models.Templates;

/// <summary>Positional and keyword arguments of a call, filter or test, with Python-style parameter binding.</summary>
internal sealed class TemplateArguments(IReadOnlyList<object?> positional, IReadOnlyDictionary<string, object?> named)
{
    private static readonly Dictionary<string, object?> NoNamed = new(StringComparer.Ordinal);

    public TemplateArguments(params object?[] positional)
        : this(positional, NoNamed)
    {
    }

    public IReadOnlyList<object?> Positional { get; } = positional;

    public IReadOnlyDictionary<string, object?> Named { get; } = named;

    /// <summary>The argument bound to parameter <paramref name="index"/>/<paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public object? Get(int index, string name, object? fallback = null)
    {
        if (index < Positional.Count)
        {
            return Positional[index];
        }

        return Named.TryGetValue(name, out var value) ? value : fallback;
    }

    public bool Has(int index, string name) => index < Positional.Count || Named.ContainsKey(name);

    public object? Required(int index, string name, string callee) =>
        Has(index, name)
            ? Get(index, name)
            : throw new HanlinException(ErrorCodes.ChatTemplateFailed, $"The chat template called {callee} without its '{name}' argument.");
}
