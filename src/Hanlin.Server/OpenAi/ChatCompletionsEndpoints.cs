using System.Text.Json;
using Hanlin.Core.Collections;
using Hanlin.Core.Errors;
using Hanlin.Core.Storage;
using Hanlin.Rag.Answers;
using Hanlin.Rag.Models;
using Hanlin.Server.Contracts;
using Hanlin.Server.Endpoints;
using Hanlin.Server.FineTuning;
using Hanlin.Server.Hosting;
using Hanlin.Server.Security;
using Hanlin.Server.Streaming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Hanlin.Server.OpenAi;

/// <summary>
/// OpenAI-compatible <c>POST /v1/chat/completions</c>. <c>kb:&lt;collection&gt;</c> answers from that collection: the
/// latest user message is the question, earlier user/assistant turns are history, system messages are ignored;
/// citations are <c>[n]</c> markers in the text and a structured <c>citations</c> field on the message (and on the
/// last stream chunk). Other model names pass through to the configured chat model.
/// </summary>
internal static class ChatCompletionsEndpoints
{
    public const string KnowledgeBasePrefix = "kb:";

    private const string Done = "data: [DONE]\n\n";

    public static RouteGroupBuilder MapChatCompletionsEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/chat/completions", CompleteAsync)
            .WithTags("OpenAI")
            .WithSummary("OpenAI-compatible chat completions; model 'kb:<collection>' answers from the knowledge base.")
            .Produces<ChatCompletionResponse>()
            .Produces(StatusCodes.Status200OK, contentType: ServerSentEvents.MediaType);
        return v1;
    }

    private static async Task<IResult> CompleteAsync(
        ChatCompletionRequest body,
        HttpContext http,
        ApiCaller caller,
        IKnowledgeStore store,
        IKnowledgeAnswerer answerer,
        ChatModelCatalog catalog,
        FineTunedModels fineTuned,
        IOptions<ServerOptions> options,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Model))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "model is required.");
        }

        if (body.Messages is not { Count: > 0 } messages || messages.Any(m => m is null || string.IsNullOrEmpty(m.Role)))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "messages must be a non-empty list of messages, each with a role.");
        }

        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var includeUsage = body.StreamOptions?.IncludeUsage == true;
        var serializer = json.Value.SerializerOptions;
        if (!body.Model.StartsWith(KnowledgeBasePrefix, StringComparison.Ordinal))
        {
            var client = body.Model.StartsWith(FineTunedModels.Prefix, StringComparison.Ordinal) && !catalog.Names.Contains(body.Model, StringComparer.OrdinalIgnoreCase)
                ? await fineTuned.GetAsync(body.Model, cancellationToken).ConfigureAwait(false)
                : ResolvePassThrough(catalog, body.Model);
            return await PassThroughAsync(http, client, body, id, created, includeUsage, serializer, cancellationToken).ConfigureAwait(false);
        }

        var name = body.Model[KnowledgeBasePrefix.Length..];
        var collection = await store.FindCollectionAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new HanlinException(ErrorCodes.UnsupportedModel, $"The model '{body.Model}' does not exist: there is no collection named '{name}'.");
        caller.Demand(collection);
        var request = await ToAskRequestAsync(messages, collection, store, caller, options.Value.MaxQuestionLength, cancellationToken).ConfigureAwait(false);
        if (!body.Stream)
        {
            var answer = await answerer.AskAsync(request, cancellationToken).ConfigureAwait(false);
            var citations = answer.Citations.Select(c => c.ToResponse()).ToArray();
            return TypedResults.Ok(new ChatCompletionResponse(
                id,
                "chat.completion",
                created,
                body.Model,
                [new ChatChoice(0, new ChatMessageResponse("assistant", answer.Text, citations), "stop")],
                new ChatUsage(answer.Usage.InputTokens, answer.Usage.OutputTokens, answer.Usage.TotalTokens),
                citations));
        }

        await StreamAnswerAsync(http.Response, answerer.AskStreamingAsync(request, cancellationToken), id, created, body.Model, includeUsage, serializer, cancellationToken).ConfigureAwait(false);
        return TypedResults.Empty;
    }

    /// <summary>A configured chat model by name; the extractive answerer is not a chat model, so it is not offered here.</summary>
    private static IChatClient ResolvePassThrough(ChatModelCatalog catalog, string model) =>
        catalog.Names.Contains(model, StringComparer.OrdinalIgnoreCase) && catalog.Resolve(model) is { } client
            ? client
            : throw new HanlinException(ErrorCodes.UnsupportedModel, $"The model '{model}' does not exist; GET /v1/models lists the models served here ('kb:<collection>' answers from a collection).");

    private static Task<AskRequest> ToAskRequestAsync(
        IReadOnlyList<ChatMessageBody> messages, Collection collection, IKnowledgeStore store, ApiCaller caller, int maxLength, CancellationToken cancellationToken)
    {
        var last = -1;
        for (var i = messages.Count - 1; i >= 0 && last < 0; i--)
        {
            if (messages[i].Role == "user")
            {
                last = i;
            }
        }

        if (last < 0)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "messages contain no user message to answer.");
        }

        // Unlike /api/ask's history, system and empty turns are skipped, not refused: OpenAI clients send them.
        var history = messages.Take(last)
            .Where(m => m.Role is "user" or "assistant")
            .Select(m => new ConversationTurn(m.Role!, m.Text))
            .Where(t => t.Content.Length > 0)
            .ToArray();
        return AskRequestBuilder.BuildForCollectionAsync(store, caller, maxLength, messages[last].Text, "latest user message", history, collection, cancellationToken);
    }

    private static async Task StreamAnswerAsync(
        HttpResponse response, IAsyncEnumerable<AnswerUpdate> updates, string id, long created, string model, bool includeUsage, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var enumerator = updates.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            // The first update is awaited before the headers go out, so a bad request is still an error response.
            var more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            await ServerSentEvents.StartAsync(response, cancellationToken).ConfigureAwait(false);
            await WriteChunkAsync(new ChunkDelta("assistant", string.Empty), null, null, null).ConfigureAwait(false);
            RagAnswer? completed = null;
            try
            {
                while (more)
                {
                    var update = enumerator.Current;
                    if (!string.IsNullOrEmpty(update.Delta))
                    {
                        await WriteChunkAsync(new ChunkDelta(null, update.Delta), null, null, null).ConfigureAwait(false);
                    }

                    completed = update.Completed ?? completed;
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
            }
            catch (HanlinException ex)
            {
                await ServerSentEvents.WriteAsync(response, null, new { error = new { message = ex.Message, type = "server_error", code = ex.Code } }, json, cancellationToken).ConfigureAwait(false);
                await ServerSentEvents.WriteRawAsync(response, Done, cancellationToken).ConfigureAwait(false);
                return;
            }

            var citations = completed?.Citations.Select(c => c.ToResponse()).ToArray() ?? [];
            await WriteChunkAsync(new ChunkDelta(null, null), "stop", null, citations).ConfigureAwait(false);
            if (includeUsage && completed is not null)
            {
                var usage = new ChatUsage(completed.Usage.InputTokens, completed.Usage.OutputTokens, completed.Usage.TotalTokens);
                await ServerSentEvents.WriteAsync(response, null, new ChatCompletionChunk(id, "chat.completion.chunk", created, model, [], usage, null), json, cancellationToken).ConfigureAwait(false);
            }

            await ServerSentEvents.WriteRawAsync(response, Done, cancellationToken).ConfigureAwait(false);
        }

        Task WriteChunkAsync(ChunkDelta delta, string? finishReason, ChatUsage? usage, IReadOnlyList<CitationResponse>? citations) =>
            ServerSentEvents.WriteAsync(
                response,
                null,
                new ChatCompletionChunk(id, "chat.completion.chunk", created, model, [new ChunkChoice(0, delta, finishReason)], usage, citations),
                json,
                cancellationToken);
    }

    private static async Task<IResult> PassThroughAsync(
        HttpContext http, IChatClient client, ChatCompletionRequest body, string id, long created, bool includeUsage, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var messages = body.Messages!.Select(m => new ChatMessage(new ChatRole(m.Role!), m.Text)).ToList();
        var chatOptions = new ChatOptions
        {
            ModelId = body.Model,
            Temperature = body.Temperature,
            TopP = body.TopP,
            MaxOutputTokens = body.MaxCompletionTokens ?? body.MaxTokens,
        };
        if (!body.Stream)
        {
            var result = await client.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new ChatCompletionResponse(
                id,
                "chat.completion",
                created,
                body.Model!,
                [new ChatChoice(0, new ChatMessageResponse("assistant", result.Text, null), "stop")],
                ToUsage(result.Usage),
                null));
        }

        var response = http.Response;
        var stream = client.GetStreamingResponseAsync(messages, chatOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            var more = await stream.MoveNextAsync().ConfigureAwait(false);
            await ServerSentEvents.StartAsync(response, cancellationToken).ConfigureAwait(false);
            await Chunk(new ChunkDelta("assistant", string.Empty), null, null).ConfigureAwait(false);
            UsageDetails? usage = null;
            while (more)
            {
                var update = stream.Current;
                if (!string.IsNullOrEmpty(update.Text))
                {
                    await Chunk(new ChunkDelta(null, update.Text), null, null).ConfigureAwait(false);
                }

                foreach (var content in update.Contents.OfType<UsageContent>())
                {
                    usage = content.Details;
                }

                more = await stream.MoveNextAsync().ConfigureAwait(false);
            }

            await Chunk(new ChunkDelta(null, null), "stop", null).ConfigureAwait(false);
            if (includeUsage)
            {
                await ServerSentEvents.WriteAsync(response, null, new ChatCompletionChunk(id, "chat.completion.chunk", created, body.Model!, [], ToUsage(usage), null), json, cancellationToken).ConfigureAwait(false);
            }

            await ServerSentEvents.WriteRawAsync(response, Done, cancellationToken).ConfigureAwait(false);
        }

        return TypedResults.Empty;

        Task Chunk(ChunkDelta delta, string? finishReason, ChatUsage? chunkUsage) =>
            ServerSentEvents.WriteAsync(
                response,
                null,
                new ChatCompletionChunk(id, "chat.completion.chunk", created, body.Model!, [new ChunkChoice(0, delta, finishReason)], chunkUsage, null),
                json,
                cancellationToken);
    }

    private static ChatUsage ToUsage(UsageDetails? usage)
    {
        var input = (int)(usage?.InputTokenCount ?? 0);
        var output = (int)(usage?.OutputTokenCount ?? 0);
        return new ChatUsage(input, output, (int)(usage?.TotalTokenCount ?? input + output));
    }
}
