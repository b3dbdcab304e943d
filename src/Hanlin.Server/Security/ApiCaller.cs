using Hanlin.Core.Collections;

namespace Hanlin.Server.Security;

/// <summary>
/// Who is calling, as the API key they presented resolved it: a role and the collections they may use.
/// With no keys configured every caller is <see cref="Anonymous"/>, allowed everything.
/// </summary>
public sealed class ApiCaller
{
    private static readonly object ItemKey = new();

    private readonly HashSet<string>? _collections;

    /// <summary>Creates a caller; <paramref name="collections"/> null or empty allows every collection.</summary>
    public ApiCaller(string name, ApiRole role, IEnumerable<string>? collections)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Role = role;
        var set = collections?.Where(c => !string.IsNullOrWhiteSpace(c)).ToHashSet(StringComparer.Ordinal);
        _collections = set is { Count: > 0 } ? set : null;
    }

    /// <summary>The caller of a server without API keys: every role, every collection.</summary>
    public static ApiCaller Anonymous { get; } = new("anonymous", ApiRole.Admin, null);

    /// <summary>The key's name.</summary>
    public string Name { get; }

    /// <summary>The key's role.</summary>
    public ApiRole Role { get; }

    /// <summary>Whether the caller may use every collection.</summary>
    public bool AllCollections => _collections is null;

    /// <summary>Whether the caller may use <paramref name="collection"/> (matched by name or id).</summary>
    public bool CanUse(Collection collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return _collections is null || _collections.Contains(collection.Name) || _collections.Contains(collection.Id);
    }

    /// <summary>The caller <see cref="ApiKeyAuthentication"/> attached to <paramref name="context"/>; anonymous when none was.</summary>
    public static ApiCaller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var caller) && caller is ApiCaller c ? c : Anonymous;
    }

    /// <summary>Minimal-API binding: a handler parameter of this type receives the request's caller.</summary>
    public static ValueTask<ApiCaller?> BindAsync(HttpContext context) => ValueTask.FromResult<ApiCaller?>(Of(context));

    internal void AttachTo(HttpContext context) => context.Items[ItemKey] = this;
}
