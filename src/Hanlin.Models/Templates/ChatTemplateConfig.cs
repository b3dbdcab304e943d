using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Templates;

/// <summary>
/// The chat template(s) and special tokens a Hugging Face model directory declares, found where transformers
/// looks: <c>chat_template.jinja</c>, else <c>chat_template.json</c>, else the <c>chat_template</c> of
/// <c>tokenizer_config.json</c> (a string, or a list of named templates such as <c>default</c> and <c>tool_use</c>).
/// </summary>
/// <param name="Template">The default template, or null when the model has none.</param>
/// <param name="NamedTemplates">Every template by name (the default one under <c>default</c>).</param>
/// <param name="SpecialTokens">
/// The <c>bos_token</c>, <c>eos_token</c>, <c>unk_token</c>, <c>pad_token</c>... that are set, as strings, ready to pass as the
/// <c>extra</c> variables of <see cref="ChatTemplate.Render(IReadOnlyList{ChatTemplateMessage}, bool, IReadOnlyDictionary{string, object?}?)"/>,
/// as transformers passes its special-tokens map.
/// </param>
public sealed record ChatTemplateConfig(
    ChatTemplate? Template,
    IReadOnlyDictionary<string, ChatTemplate> NamedTemplates,
    IReadOnlyDictionary<string, object?> SpecialTokens)
{
    private static readonly string[] SpecialTokenNames = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

    /// <summary>Reads the chat configuration of the model directory <paramref name="modelDirectory"/>.</summary>
    /// <exception cref="HanlinException">A missing tokenizer_config.json, malformed JSON, or a template that does not parse (naming the file).</exception>
    public static async Task<ChatTemplateConfig> LoadAsync(string modelDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        var configPath = Path.Combine(modelDirectory, "tokenizer_config.json");
        if (!File.Exists(configPath))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The model directory '{modelDirectory}' has no tokenizer_config.json.");
        }

        using var config = await ReadJsonAsync(configPath, cancellationToken).ConfigureAwait(false);
        var root = config.RootElement;
        var specialTokens = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in SpecialTokenNames)
        {
            // transformers' special_tokens_map holds only the tokens that are set; unset ones stay undefined.
            if (root.TryGetProperty(name, out var token) && TokenText(token) is { } text)
            {
                specialTokens[name] = text;
            }
        }

        var sources = new Dictionary<string, (string Source, string File)>(StringComparer.Ordinal);
        var jinjaPath = Path.Combine(modelDirectory, "chat_template.jinja");
        var jsonPath = Path.Combine(modelDirectory, "chat_template.json");
        if (File.Exists(jinjaPath))
        {
            sources["default"] = (await File.ReadAllTextAsync(jinjaPath, cancellationToken).ConfigureAwait(false), jinjaPath);
        }
        else if (File.Exists(jsonPath))
        {
            using var json = await ReadJsonAsync(jsonPath, cancellationToken).ConfigureAwait(false);
            AddTemplates(json.RootElement, jsonPath, sources);
        }
        else
        {
            AddTemplates(root, configPath, sources);
        }

        var templates = new Dictionary<string, ChatTemplate>(StringComparer.Ordinal);
        foreach (var (name, (source, file)) in sources)
        {
            try
            {
                templates[name] = ChatTemplate.Parse(source);
            }
            catch (HanlinException exception)
            {
                throw new HanlinException(exception.Code, $"{file}: {exception.Message}", exception);
            }
        }

        return new ChatTemplateConfig(templates.GetValueOrDefault("default"), templates, specialTokens);
    }

    private static void AddTemplates(JsonElement root, string file, Dictionary<string, (string Source, string File)> sources)
    {
        if (!root.TryGetProperty("chat_template", out var template))
        {
            return;
        }

        switch (template.ValueKind)
        {
            case JsonValueKind.String:
                sources["default"] = (template.GetString()!, file);
                break;
            case JsonValueKind.Array:
                foreach (var named in template.EnumerateArray())
                {
                    if (named.TryGetProperty("name", out var name) && named.TryGetProperty("template", out var source)
                        && name.ValueKind == JsonValueKind.String && source.ValueKind == JsonValueKind.String)
                    {
                        sources[name.GetString()!] = (source.GetString()!, file);
                    }
                }

                break;
            case JsonValueKind.Null:
                break;
            default:
                throw new HanlinException(ErrorCodes.CorruptFile, $"{file}: chat_template must be a string or a list of named templates.");
        }
    }

    /// <summary>A special token is a string, or an AddedToken object whose text is its <c>content</c>.</summary>
    private static string? TokenText(JsonElement token) => token.ValueKind switch
    {
        JsonValueKind.String => token.GetString(),
        JsonValueKind.Object when token.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString(),
        _ => null,
    };

    private static async Task<JsonDocument> ReadJsonAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException exception)
            {
                throw new HanlinException(ErrorCodes.CorruptFile, $"{path} is not valid JSON: {exception.Message}", exception);
            }
        }
    }
}
