namespace Hanlin.Server;

/// <summary>Where the server listens and which data directory and configuration it uses.</summary>
public sealed record HanlinServerSettings
{
    /// <summary>Address to bind (default loopback only).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="HanlinServer.GetAddress"/>).</summary>
    public int Port { get; init; } = 5080;

    /// <summary>Data directory; null uses <c>HANLIN_DATA</c>, else <c>~/.hanlin</c>.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Extra configuration (e.g. <c>Server:MaxUploadBytes</c>), applied over <c>HANLIN_</c> environment variables.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Work to finish after the store is open and the indexes are repaired but before <c>/readyz</c> turns 200 and
    /// API calls are let through (for instance ingesting the demo corpus on first start); null for none.
    /// </summary>
    public Func<IServiceProvider, CancellationToken, Task>? BeforeReady { get; init; }
}
