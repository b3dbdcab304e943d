namespace Hanlin.Server.Security;

/// <summary>What an API key may do; each role includes the ones before it.</summary>
public enum ApiRole
{
    /// <summary>Search, ask, chat completions, embeddings and reading collections, documents and jobs.</summary>
    Read = 0,

    /// <summary>Also upload and delete documents.</summary>
    Write = 1,

    /// <summary>Also create and delete collections.</summary>
    Admin = 2,
}
