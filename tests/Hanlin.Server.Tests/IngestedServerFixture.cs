namespace Hanlin.Server.Tests;

/// <summary>One server with <see cref="Corpus"/> ingested, shared by tests that only read.</summary>
public sealed class IngestedServerFixture : IAsyncLifetime
{
    private RunningServer? _server;

    internal RunningServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        var job = await _server.IngestAsync(Corpus.Collection, Corpus.Files);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
