using Hanlin.Core.Indexing;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Analysis;
using Hanlin.Retrieval.Lexical;
using Hanlin.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hanlin.Cli.Composition;

/// <summary>
/// Composes the services a CLI command uses. Configuration comes from environment variables with the
/// <c>HANLIN_</c> prefix (e.g. <c>HANLIN_Ingestion__Chunking__MaxTokens=400</c>); logs go to stderr so
/// stdout stays clean for <c>--json</c>.
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Create(string? dataDirectory)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("HANLIN_")
            .Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .SetMinimumLevel(LogLevel.Error)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter((_, level) => level >= LogLevel.Error));
        services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddHanlinStorage(dataDirectory);
        services.AddHanlinIngestion(configuration);

        // The BM25 index lives beside the database; it is opened (and its write lock taken) only by
        // commands that resolve it: ingest, delete, search, index.
        services.AddSingleton(sp =>
        {
            var root = sp.GetRequiredService<HanlinDataDirectory>().Root;
            var dictionaryPath = configuration["Retrieval:DomainDictionaryPath"];
            var dictionary = string.IsNullOrEmpty(dictionaryPath) ? DomainDictionary.BuiltIn : DomainDictionary.BuiltIn.Union(DomainDictionary.Load(dictionaryPath));
            return new LuceneChunkIndex(new LuceneBm25Index(Path.Combine(root, "index", "lexical"), new HanlinAnalyzer(dictionary)), sp.GetService<ILogger<LuceneChunkIndex>>());
        });
        services.AddSingleton<IChunkIndex>(sp => sp.GetRequiredService<LuceneChunkIndex>());
        services.AddSingleton(sp => new HybridRetriever(sp.GetRequiredService<LuceneChunkIndex>().Index));
        services.AddHanlinRag(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
