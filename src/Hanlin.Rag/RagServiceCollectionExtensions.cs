using Hanlin.Core.Storage;
using Hanlin.Rag;
using Hanlin.Rag.Answers;
using Hanlin.Rag.Models;
using Hanlin.Rag.Search;
using Hanlin.Rag.Text;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Analysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods for IServiceCollection live in its namespace by convention.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the answering module.</summary>
public static class RagServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="RagOptions"/> (section <c>Rag</c> of <paramref name="configuration"/>, validated on start),
    /// <see cref="IKnowledgeSearch"/>, <see cref="ChatModelCatalog"/> and <see cref="IKnowledgeAnswerer"/>, all
    /// singletons. The caller registers <see cref="IKnowledgeStore"/> and <c>HybridRetriever</c>
    /// (<c>AddHanlinStorage</c>, <c>AddHanlinRetrieval</c>). Chat models are optional: each
    /// <see cref="AddHanlinChatModel"/> adds one by name, and a plain registered <see cref="IChatClient"/> joins
    /// under <see cref="RagOptions.DefaultChatModel"/> (or "default"); with none, answers are extractive.
    /// </summary>
    public static IServiceCollection AddHanlinRag(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RagOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(RagOptions.SectionName));
        }

        options.ValidateDataAnnotations().ValidateOnStart();

        // AddHanlinRetrieval registers the analyzer with the configured domain dictionary; this is the fallback.
        services.TryAddSingleton(_ => new HanlinAnalyzer());
        services.TryAddSingleton(sp => new ContentTerms(sp.GetRequiredService<HanlinAnalyzer>()));
        services.TryAddSingleton<QueryAdmission>();
        services.TryAddSingleton<IKnowledgeSearch, KnowledgeSearch>();
        services.TryAddSingleton(sp =>
        {
            var rag = sp.GetRequiredService<IOptions<RagOptions>>().Value;
            var models = sp.GetServices<NamedChatClient>().ToList();
            if (sp.GetService<IChatClient>() is { } plain)
            {
                models.Add(new NamedChatClient(rag.DefaultChatModel ?? "default", plain));
            }

            return new ChatModelCatalog(models, rag.DefaultChatModel);
        });
        services.TryAddSingleton<IKnowledgeAnswerer>(sp => new KnowledgeAnswerer(
            sp.GetRequiredService<IKnowledgeSearch>(),
            sp.GetRequiredService<ChatModelCatalog>(),
            sp.GetRequiredService<ContentTerms>(),
            sp.GetRequiredService<IOptions<RagOptions>>(),
            sp.GetService<IKnowledgeStore>(),
            sp.GetService<HybridRetriever>()?.Lexical,
            sp.GetService<QueryAdmission>()));
        return services;
    }

    /// <summary>Adds a chat model answers can be generated with, under <paramref name="name"/> (listed by <see cref="ChatModelCatalog"/>).</summary>
    public static IServiceCollection AddHanlinChatModel(this IServiceCollection services, string name, Func<IServiceProvider, IChatClient> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton(sp => new NamedChatClient(name, factory(sp)));
        return services;
    }
}
