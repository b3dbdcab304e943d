using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Core.Storage;
using Hanlin.Rag.Answers;
using Hanlin.Server.Contracts;
using Hanlin.Server.Hosting;
using Hanlin.Server.Security;
using Hanlin.Server.Streaming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Hanlin.Server.Endpoints;

/// <summary>
/// <c>POST /api/ask</c>: a grounded answer with citations as JSON, or as SSE (<c>"stream": true</c> or
/// <c>Accept: text/event-stream</c>): <c>citations</c>, then <c>delta</c> events, then <c>completed</c> with the
/// verified answer; a failure after the stream began is an <c>error</c> event. The request's abort token flows
/// into the answerer, so a client that disconnects stops retrieval and generation.
/// </summary>
internal static class AskEndpoints
{
    public static RouteGroupBuilder MapAskEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/ask", AskAsync)
            .WithTags("Ask")
            .WithSummary("Answer a question from the knowledge base with verified citations (JSON or SSE).")
            .Produces<AskResponse>()
            .Produces(StatusCodes.Status200OK, contentType: ServerSentEvents.MediaType);
        return api;
    }

    private static async Task<IResult> AskAsync(
        AskRequestBody body,
        HttpContext http,
        ApiCaller caller,
        IKnowledgeStore store,
        IKnowledgeAnswerer answerer,
        IOptions<ServerOptions> options,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var request = await AskRequestBuilder.BuildAsync(
            store,
            caller,
            options.Value.MaxQuestionLength,
            body.Question,
            "question",
            ToHistory(body.History, options.Value.MaxQuestionLength),
            body.Collections,
            body.Filters,
            body.TopK,
            body.Mode,
            body.Language,
            cancellationToken).ConfigureAwait(false);

        if (!body.Stream && !ServerSentEvents.Accepts(http.Request))
        {
            var answer = await answerer.AskAsync(request, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(answer.ToResponse());
        }

        await StreamAsync(http.Response, answerer.AskStreamingAsync(request, cancellationToken), json.Value.SerializerOptions, cancellationToken).ConfigureAwait(false);
        return TypedResults.Empty;
    }

    private static async Task StreamAsync(HttpResponse response, IAsyncEnumerable<AnswerUpdate> updates, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var enumerator = updates.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            // The first update is awaited before the headers go out, so a bad request is still a ProblemDetails.
            var more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            await ServerSentEvents.StartAsync(response, cancellationToken).ConfigureAwait(false);
            try
            {
                while (more)
                {
                    var update = enumerator.Current;
                    if (update.Citations is { } citations)
                    {
                        await ServerSentEvents.WriteAsync(response, "citations", new { citations = citations.Select(c => c.ToResponse()) }, json, cancellationToken).ConfigureAwait(false);
                    }

                    if (!string.IsNullOrEmpty(update.Delta))
                    {
                        await ServerSentEvents.WriteAsync(response, "delta", new { text = update.Delta }, json, cancellationToken).ConfigureAwait(false);
                    }

                    if (update.Completed is { } completed)
                    {
                        await ServerSentEvents.WriteAsync(response, "completed", completed.ToResponse(), json, cancellationToken).ConfigureAwait(false);
                    }

                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
            }
            catch (HanlinException ex)
            {
                await ServerSentEvents.WriteAsync(response, "error", new { code = ex.Code, message = ex.Message }, json, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal static IReadOnlyList<ConversationTurn> ToHistory(IReadOnlyList<TurnBody>? turns, int maxLength)
    {
        if (turns is null)
        {
            return [];
        }

        var history = new List<ConversationTurn>(turns.Count);
        foreach (var turn in turns)
        {
            if (turn.Role is not ("user" or "assistant"))
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"history roles must be 'user' or 'assistant', not '{turn.Role}'.");
            }

            history.Add(new ConversationTurn(turn.Role, RequestFilters.ValidateQuestion(turn.Content, maxLength, "history turn")));
        }

        return history;
    }
}
