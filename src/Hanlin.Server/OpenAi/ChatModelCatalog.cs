using Hanlin.Core.Errors;
using Hanlin.Server.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hanlin.Server.OpenAi;

/// <summary>
/// The non-knowledge-base models <c>/v1/chat/completions</c> passes through to the registered <see cref="IChatClient"/>:
/// the names in <see cref="ServerOptions.ChatModels"/> plus the client's default model. With no chat client
/// registered there are none.
/// </summary>
internal sealed class ChatModelCatalog
{
    private readonly IChatClient? _client;

    public ChatModelCatalog(IServiceProvider services, IOptions<ServerOptions> options)
    {
        _client = services.GetService<IChatClient>();
        var models = new List<string>();
        if (_client is not null)
        {
            models.AddRange(options.Value.ChatModels);
            if (_client.GetService<ChatClientMetadata>()?.DefaultModelId is { Length: > 0 } defaultModel && !models.Contains(defaultModel, StringComparer.Ordinal))
            {
                models.Add(defaultModel);
            }
        }

        Models = models;
    }

    /// <summary>Model names offered for pass-through.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>The chat client serving <paramref name="model"/>; throws <c>unsupported_model</c> (404) for unknown names.</summary>
    public IChatClient Resolve(string model) =>
        _client is not null && Models.Contains(model, StringComparer.Ordinal)
            ? _client
            : throw new HanlinException(ErrorCodes.UnsupportedModel, $"The model '{model}' does not exist; GET /v1/models lists the models served here ('kb:<collection>' answers from a collection).");
}
