using Hanlin.Core.Storage;
using Hanlin.Rag.Models;
using Hanlin.Server.FineTuning;
using Hanlin.Server.Hosting;
using Hanlin.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hanlin.Server.OpenAi;

/// <summary>OpenAI-compatible <c>GET /v1/models</c>: <c>kb:&lt;collection&gt;</c> per collection, then chat and embedding models.</summary>
internal static class ModelsEndpoints
{
    public static RouteGroupBuilder MapModelsEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/models", ListAsync).WithTags("OpenAI").WithSummary("Models: one 'kb:<collection>' per collection plus configured chat and embedding models.");
        return v1;
    }

    private static async Task<Ok<ModelListResponse>> ListAsync(
        ApiCaller caller, IKnowledgeStore store, ChatModelCatalog catalog, FineTunedModels fineTuned, IServiceProvider services, IOptions<ServerOptions> options, CancellationToken cancellationToken)
    {
        var collections = await store.ListCollectionsAsync(cancellationToken).ConfigureAwait(false);
        var models = collections
            .Where(caller.CanUse)
            .Select(c => new ModelResponse(ChatCompletionsEndpoints.KnowledgeBasePrefix + c.Name, "model", c.CreatedAt.ToUnixTimeSeconds(), "hanlin"))
            .Concat(catalog.Names.Select(m => new ModelResponse(m, "model", 0, "hanlin")))
            .ToList();
        foreach (var (name, created) in await fineTuned.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            models.Add(new ModelResponse(name, "model", created.ToUnixTimeSeconds(), "hanlin"));
        }

        if (services.GetService<IEmbeddingGenerator<string, Embedding<float>>>() is not null)
        {
            models.Add(new ModelResponse(EmbeddingsEndpoints.ModelName(services, options.Value), "model", 0, "hanlin"));
        }

        return TypedResults.Ok(new ModelListResponse("list", models));
    }
}
