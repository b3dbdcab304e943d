using System.Text.Json;
using Hanlin.Core.Indexing;
using Hanlin.Core.Storage;
using Hanlin.Ingestion.Pipeline;
using Hanlin.Rag.Answers;
using Hanlin.Rag.Models;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Analysis;
using Hanlin.Retrieval.Lexical;
using Hanlin.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Rag.Tests;

/// <summary>
/// The bundled samples/ ingested once through the real pipeline (extract, normalise, chunk, SQLite, Lucene)
/// into a temporary data directory, with the answering services composed as the server composes them.
/// Tests only read from it.
/// </summary>
public sealed class SampleKnowledgeBase : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TempDirectory _directory = new();
    private ServiceProvider? _services;

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("Not initialised.");

    public IKnowledgeAnswerer Answerer => Services.GetRequiredService<IKnowledgeAnswerer>();

    public IKnowledgeStore Store => Services.GetRequiredService<IKnowledgeStore>();

    public IReadOnlyList<SampleQuestion> Questions { get; private set; } = [];

    public static string SamplesFolder => Path.Combine(SharedData.RepositoryRoot, "samples");

    /// <summary>Composes the answering services over this knowledge base with extra registrations (e.g. a chat model).</summary>
    public ServiceProvider Compose(Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHanlinStorage(Path.Combine(_directory.Path, "data"));
        services.AddHanlinIngestion(configuration);
        services.AddSingleton(_ => new HanlinAnalyzer());
        services.AddSingleton(sp => new LuceneChunkIndex(new LuceneBm25Index(Path.Combine(_directory.Path, "index", Guid.NewGuid().ToString("N")), sp.GetRequiredService<HanlinAnalyzer>())));
        services.AddSingleton<IChunkIndex>(sp => sp.GetRequiredService<LuceneChunkIndex>());
        services.AddSingleton(sp => new HybridRetriever(sp.GetRequiredService<LuceneChunkIndex>().Index));
        services.AddHanlinRag(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public async ValueTask InitializeAsync()
    {
        _services = Compose();
        var store = Store;
        await store.InitializeAsync();
        var folders = Directory.GetDirectories(SamplesFolder).Order(StringComparer.Ordinal).ToArray();
        var sources = new SourceCollector(SamplesFolder).Collect(folders, recursive: true);
        var result = await _services.GetRequiredService<IngestionJobRunner>().RunAsync("demo", sources.Sources, sources.Failures);
        if (result.Summary.Failed > 0)
        {
            throw new InvalidOperationException("Ingesting the samples failed: " + string.Join("; ", result.Files.Where(f => f.ErrorCode is not null).Select(f => $"{f.Path}: {f.ErrorMessage}")));
        }

        Questions = [.. File.ReadLines(Path.Combine(SamplesFolder, "questions.jsonl"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonSerializer.Deserialize<SampleQuestion>(l, Json)!)];
    }

    /// <summary>An answerer over the same index generating with <paramref name="client"/>.</summary>
    public IKnowledgeAnswerer AnswererWith(IChatClient client) =>
        new KnowledgeAnswerer(
            Services.GetRequiredService<Search.IKnowledgeSearch>(),
            new ChatModelCatalog([new NamedChatClient("fixed", client)]),
            Services.GetRequiredService<Text.ContentTerms>(),
            Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RagOptions>>(),
            Store,
            Services.GetRequiredService<HybridRetriever>().Lexical);

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _directory.Dispose();
    }
}

public sealed record SampleQuestion(string Id, string Question, string? Answer, string? Source, string? Section);
