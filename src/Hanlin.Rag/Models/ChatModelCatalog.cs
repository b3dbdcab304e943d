using Hanlin.Core.Errors;
using Microsoft.Extensions.AI;

namespace Hanlin.Rag.Models;

/// <summary>
/// The chat models configured for answering, by name; the server lists them under <c>GET /v1/models</c>.
/// The reserved name <see cref="Extractive"/> always exists and selects the built-in extractive answerer.
/// </summary>
public sealed class ChatModelCatalog
{
    /// <summary>The reserved name of the built-in extractive answerer.</summary>
    public const string Extractive = "extractive";

    private readonly Dictionary<string, IChatClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _names = [];

    /// <summary>Creates the catalog from <paramref name="models"/>; <paramref name="defaultModel"/> must be one of them when given.</summary>
    /// <exception cref="HanlinException">Two models share a name, a model is named <see cref="Extractive"/>, or the default is unknown.</exception>
    public ChatModelCatalog(IEnumerable<NamedChatClient> models, string? defaultModel = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        foreach (var model in models)
        {
            if (string.IsNullOrWhiteSpace(model.Name) || string.Equals(model.Name, Extractive, StringComparison.OrdinalIgnoreCase))
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"A chat model may not be named '{model.Name}'.");
            }

            if (!_clients.TryAdd(model.Name, model.Client))
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"Two chat models are named '{model.Name}'.");
            }

            _names.Add(model.Name);
        }

        if (!string.IsNullOrWhiteSpace(defaultModel)
            && !string.Equals(defaultModel, Extractive, StringComparison.OrdinalIgnoreCase)
            && !_clients.ContainsKey(defaultModel))
        {
            throw new HanlinException(ErrorCodes.UnsupportedModel, $"Rag:DefaultChatModel is '{defaultModel}', but no chat model of that name is configured.");
        }

        DefaultModel = string.IsNullOrWhiteSpace(defaultModel) ? (_names.Count == 1 ? _names[0] : Extractive) : defaultModel;
    }

    /// <summary>An empty catalog: every answer is extractive.</summary>
    public static ChatModelCatalog None { get; } = new([]);

    /// <summary>Configured chat model names in registration order (without <see cref="Extractive"/>).</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The model used when a request names none; <see cref="Extractive"/> when no chat model is configured.</summary>
    public string DefaultModel { get; }

    /// <summary>Whether <paramref name="name"/> is a configured model or <see cref="Extractive"/>.</summary>
    public bool Contains(string name) =>
        string.Equals(name, Extractive, StringComparison.OrdinalIgnoreCase) || _clients.ContainsKey(name);

    /// <summary>
    /// The client for <paramref name="name"/> (null: the default), or null when the answer is to be extractive.
    /// </summary>
    /// <exception cref="HanlinException"><paramref name="name"/> is not configured (<see cref="ErrorCodes.UnsupportedModel"/>).</exception>
    public IChatClient? Resolve(string? name)
    {
        var wanted = string.IsNullOrWhiteSpace(name) ? DefaultModel : name;
        if (string.Equals(wanted, Extractive, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return _clients.TryGetValue(wanted, out var client)
            ? client
            : throw new HanlinException(ErrorCodes.UnsupportedModel, $"No chat model named '{wanted}' is configured; known: {string.Join(", ", _names.Prepend(Extractive))}.");
    }
}
