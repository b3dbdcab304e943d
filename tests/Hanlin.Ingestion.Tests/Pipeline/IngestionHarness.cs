using Hanlin.Storage;
using Hanlin.Core.Storage;
using Hanlin.Ingestion.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Ingestion.Tests.Pipeline;

/// <summary>The real pipeline over a real SQLite store and blob store in a temporary data directory.</summary>
internal sealed class IngestionHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private IngestionHarness(ServiceProvider services, TempDirectory root)
    {
        _services = services;
        Root = root;
    }

    public TempDirectory Root { get; }

    public IKnowledgeStore Store => _services.GetRequiredService<IKnowledgeStore>();

    public IBlobStore Blobs => _services.GetRequiredService<IBlobStore>();

    public IngestionJobRunner Runner => _services.GetRequiredService<IngestionJobRunner>();

    public string Input(string relative) => Root.File(Path.Combine("input", relative));

    public static async Task<IngestionHarness> CreateAsync(Dictionary<string, string?>? settings = null, TempDirectory? root = null)
    {
        root ??= new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddHanlinStorage(root.File("data"))
            .AddHanlinIngestion(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await services.GetRequiredService<IKnowledgeStore>().InitializeAsync();
        return new IngestionHarness(services, root);
    }

    public string Write(string relative, string content) => Root.Write(Path.Combine("input", relative), content);

    public string Write(string relative, byte[] content) => Root.Write(Path.Combine("input", relative), content);

    public Task<IngestionJobResult> IngestAsync(string collection = "kb", IProgress<IngestionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var set = new SourceCollector(Root.File("input")).Collect([Root.File("input")], recursive: true);
        return Runner.RunAsync(collection, set.Sources, set.Failures, progress, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Root.Dispose();
    }
}
