using Hanlin.Retrieval.Analysis;
using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hanlin.Retrieval;

/// <summary>Registers the retrieval module.</summary>
public static class RetrievalServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="RetrievalOptions"/> (section <c>Retrieval</c>, validated on start), the analyzer, the
    /// BM25 index, the vector index when an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings is
    /// registered, and <see cref="HybridRetriever"/>. All are singletons owning files in the index directory.
    /// </summary>
    public static IServiceCollection AddHanlinRetrieval(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RetrievalOptions>()
            .BindConfiguration(RetrievalOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RetrievalOptions>>().Value;
            var dictionary = options.DomainDictionaryPath is { Length: > 0 } path
                ? DomainDictionary.BuiltIn.Union(DomainDictionary.Load(path))
                : DomainDictionary.BuiltIn;
            return new HanlinAnalyzer(dictionary);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RetrievalOptions>>().Value;
            return new LuceneBm25Index(options.LexicalIndexPath, sp.GetRequiredService<HanlinAnalyzer>(), options.Lexical);
        });
        services.AddSingleton(sp =>
        {
            var generator = sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>();
            var options = sp.GetRequiredService<IOptions<RetrievalOptions>>().Value;
            var vectors = generator is null ? null : new EmbeddingVectorIndex(generator, options.VectorIndexPath, options.Hnsw);
            return new HybridRetriever(sp.GetRequiredService<LuceneBm25Index>(), vectors);
        });
        return services;
    }
}
