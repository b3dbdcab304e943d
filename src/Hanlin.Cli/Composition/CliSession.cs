using Hanlin.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Cli.Composition;

/// <summary>The services of one command invocation with the store opened (schema migrated).</summary>
internal sealed class CliSession : IAsyncDisposable
{
    private CliSession(ServiceProvider services, IKnowledgeStore store)
    {
        Services = services;
        Store = store;
    }

    public ServiceProvider Services { get; }

    public IKnowledgeStore Store { get; }

    public static async Task<CliSession> OpenAsync(CliContext context, CancellationToken cancellationToken)
    {
        var services = CliServices.Create(context.DataDirectory);
        try
        {
            var store = services.GetRequiredService<IKnowledgeStore>();
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return new CliSession(services, store);
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
