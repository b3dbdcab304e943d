using System.Runtime.CompilerServices;
using Hanlin.Core.Errors;
using Hanlin.Models.Generation;
using Hanlin.Models.Templates;
using Hanlin.Models.Tokenization;
using Microsoft.Extensions.AI;

namespace Hanlin.Models.Chat;

/// <summary>
/// <see cref="IChatClient"/> over a <see cref="LocalChatModel"/>: renders the conversation with the model's chat
/// template, generates with the requested sampling options, applies stop strings, streams text as it is decoded
/// and reports token usage. Concurrent requests to one model share its <see cref="LocalChatModel.Batcher"/>: they are
/// decoded together, each with its own sampling options, and cancelling one leaves the others untouched.
/// </summary>
public sealed class LocalChatClient : IChatClient
{
    private readonly LocalChatModel _model;

    /// <summary>Creates the client; the caller keeps owning <paramref name="model"/>.</summary>
    public LocalChatClient(LocalChatModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>The model's name.</summary>
    public string Name => _model.Name;

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = ChatTemplateInputs.FromChatMessages(messages);
        var tools = options?.Tools is { Count: > 0 } declared ? ChatTemplateInputs.ToolDefinitions(declared) : null;
        var prompt = _model.EncodeConversation(conversation, tools);
        var generation = ToGenerationOptions(options);
        var responseId = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow;

        var decoder = new StreamingTextDecoder(_model.Tokenizer);
        var stops = new StopSequenceMatcher(options?.StopSequences ?? []);
        var produced = 0;
        var finish = ChatFinishReason.Length;
        await foreach (var token in _model.Batcher.GenerateAsync(prompt, generation, cancellationToken).ConfigureAwait(false))
        {
            produced++;
            var text = stops.Append(decoder.Append(token));
            if (text.Length > 0)
            {
                yield return Update(text);
            }

            if (stops.Stopped)
            {
                finish = ChatFinishReason.Stop;
                break;
            }
        }

        if (!stops.Stopped)
        {
            var rest = stops.Append(decoder.Flush()) + stops.Flush();
            if (rest.Length > 0)
            {
                yield return Update(rest);
            }

            // Fewer tokens than allowed means a stop token (or a full context, which the caller sees as length).
            if (produced < generation.MaxNewTokens && prompt.Length + produced < _model.Model.Config.MaxSequenceLength)
            {
                finish = ChatFinishReason.Stop;
            }
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails
        {
            InputTokenCount = prompt.Length,
            OutputTokenCount = produced,
            TotalTokenCount = prompt.Length + produced,
        })])
        {
            ResponseId = responseId,
            ModelId = _model.Name,
            CreatedAt = created,
            FinishReason = finish,
        };

        ChatResponseUpdate Update(string text) => new(ChatRole.Assistant, text)
        {
            ResponseId = responseId,
            ModelId = _model.Name,
            CreatedAt = created,
        };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return new ChatClientMetadata("hanlin-local", null, _model.Name);
        }

        return serviceType.IsInstanceOfType(this) ? this : serviceType.IsInstanceOfType(_model) ? _model : null;
    }

    /// <inheritdoc />
    /// <remarks>Nothing to release: the batcher belongs to the model.</remarks>
    public void Dispose()
    {
    }

    private GenerationOptions ToGenerationOptions(ChatOptions? options)
    {
        var defaults = _model.Defaults;
        if (options is null)
        {
            return defaults;
        }

        var extra = options.AdditionalProperties;
        var result = defaults with
        {
            MaxNewTokens = options.MaxOutputTokens ?? defaults.MaxNewTokens,
            Temperature = options.Temperature ?? defaults.Temperature,
            TopP = options.TopP ?? defaults.TopP,
            TopK = options.TopK ?? defaults.TopK,
            Seed = options.Seed is { } seed ? unchecked((int)seed) : defaults.Seed,
            PresencePenalty = options.PresencePenalty ?? defaults.PresencePenalty,
            FrequencyPenalty = options.FrequencyPenalty ?? defaults.FrequencyPenalty,
            MinP = extra?.TryGetValue("min_p", out float minP) == true ? minP : defaults.MinP,
            RepetitionPenalty = extra?.TryGetValue("repetition_penalty", out float repetition) == true ? repetition : defaults.RepetitionPenalty,
        };
        try
        {
            result.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Invalid generation option for model '{_model.Name}': {ex.Message}", ex);
        }

        return result;
    }
}
