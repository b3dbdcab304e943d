namespace Hanlin.Server.Security;

/// <summary>One API key (configuration <c>Server:ApiKeys:n</c>): the secret, who holds it, its role and its collections.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The secret the client sends as <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Who holds the key, for logs and error messages; never the key itself.</summary>
    public string? Name { get; set; }

    /// <summary>What the key may do.</summary>
    public ApiRole Role { get; set; } = ApiRole.Read;

    /// <summary>Collection names (or ids) the key may use; empty means every collection.</summary>
    public IList<string> Collections { get; } = new List<string>();
}
