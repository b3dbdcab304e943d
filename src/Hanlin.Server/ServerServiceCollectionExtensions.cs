using System.Text.Json;
using System.Text.Json.Serialization;
using Hanlin.Core.Indexing;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;
using Hanlin.Server.Errors;
using Hanlin.Server.FineTuning;
using Hanlin.Server.Hosting;
using Hanlin.Server.Uploads;
using Hanlin.Storage;
using Hanlin.Training.Jobs;
using Hanlin.Training.Registry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // Extension methods for IServiceCollection live in its namespace by convention.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the HTTP API and everything it composes.</summary>
public static class ServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds storage (<paramref name="dataDirectory"/>, else <c>HANLIN_DATA</c>, else <c>~/.hanlin</c>), ingestion,
    /// retrieval (index under <c>&lt;data&gt;/index</c> unless <c>Retrieval:IndexDirectory</c> says otherwise),
    /// knowledge search and answering (<c>AddHanlinRag</c>: chat models registered with <c>AddHanlinChatModel</c> or a
    /// plain <c>IChatClient</c> are passed through by <c>/v1/chat/completions</c>; with none, answers are extractive),
    /// the background upload queue, start-up initialisation, ProblemDetails error handling and
    /// <see cref="ServerOptions"/> (section <c>Server</c>). An embedding generator, when the caller registers one,
    /// enables vector retrieval and <c>/v1/embeddings</c>.
    /// </summary>
    public static IServiceCollection AddHanlinServer(this IServiceCollection services, IConfiguration configuration, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ServerOptions>()
            .Bind(configuration.GetSection(ServerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddHanlinStorage(dataDirectory);
        services.AddHanlinIngestion(configuration);
        services.AddHanlinRetrieval();
        services.AddOptions<RetrievalOptions>().PostConfigure<HanlinDataDirectory>((options, data) =>
        {
            if (string.IsNullOrWhiteSpace(options.IndexDirectory))
            {
                options.IndexDirectory = Path.Combine(data.Root, "index");
            }
        });

        // Ingestion and deletion keep the same indexes current that the retriever searches: BM25 always, and the
        // vector index too when an embedding model is configured.
        services.AddHanlinModels(configuration);
        services.TryAddSingleton(sp => new LuceneChunkIndex(sp.GetRequiredService<LuceneBm25Index>(), sp.GetService<Microsoft.Extensions.Logging.ILogger<LuceneChunkIndex>>()));
        services.AddSingleton<IChunkIndex>(sp =>
            sp.GetRequiredService<HybridRetriever>().Vectors is { } vectors
                ? new VectorChunkIndex(sp.GetRequiredService<LuceneChunkIndex>(), vectors)
                : sp.GetRequiredService<LuceneChunkIndex>());
        services.AddHanlinRag(configuration);

        services.AddSingleton<ServerReadiness>();
        services.AddHostedService<StartupInitializer>();
        services.AddSingleton<UploadQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<UploadQueue>());
        services.AddSingleton<ReadinessFilter>();
        services.TryAddSingleton(sp => FineTuneStore.ForDataDirectory(sp.GetRequiredService<HanlinDataDirectory>().Root));
        services.AddSingleton<FineTuningJobService>();
        services.TryAddSingleton(sp => ModelRegistry.ForDataDirectory(sp.GetRequiredService<HanlinDataDirectory>().Root));
        services.AddSingleton<FineTunedModels>();
        services.TryAddSingleton<IFineTuneExecutor>(sp => new LoraFineTuneExecutor(sp.GetRequiredService<ModelRegistry>()));
        services.AddHostedService(sp => sp.GetRequiredService<FineTuningJobService>());

        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
                context.ProblemDetails.Detail ??= ErrorStatus.DescribeStatus(status, context.HttpContext.Request);
                ProblemFactory.Decorate(context.ProblemDetails, context.HttpContext, ErrorStatus.CodeFor(status));
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddOptions<FormOptions>().Configure<Microsoft.Extensions.Options.IOptions<ServerOptions>>((form, server) =>
        {
            // Kestrel's per-request limit (set by BodySizeLimitMiddleware) is the real bound; the form reader's must not be lower.
            form.MultipartBodyLengthLimit = server.Value.MaxUploadBytes + (1L << 20);
            form.ValueCountLimit = Math.Max(form.ValueCountLimit, server.Value.MaxUploadFiles * 2);
        });
        services.AddOpenApi();
        return services;
    }
}
