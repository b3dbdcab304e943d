using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Hanlin.Server.Streaming;

/// <summary>
/// Writes <c>text/event-stream</c> responses by hand rather than through a result type, because the first item
/// is awaited before the headers go out (so validation errors are still ProblemDetails) and a failure after
/// that has to become an <c>error</c> event.
/// </summary>
internal static class ServerSentEvents
{
    public const string MediaType = "text/event-stream";

    /// <summary>Whether the client asked for a stream through its <c>Accept</c> header.</summary>
    public static bool Accepts(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains(MediaType, StringComparison.OrdinalIgnoreCase));

    /// <summary>Sends the headers; every later write is flushed at once (no proxy or server buffering).</summary>
    public static async Task StartAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one event (<paramref name="eventName"/> null: an unnamed <c>data:</c> event, as OpenAI streams).</summary>
    public static async Task WriteAsync<T>(HttpResponse response, string? eventName, T payload, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        if (eventName is not null)
        {
            builder.Append("event: ").Append(eventName).Append('\n');
        }

        // Serialised JSON holds no raw newlines, so one data line carries the whole payload.
        builder.Append("data: ").Append(JsonSerializer.Serialize(payload, options)).Append("\n\n");
        await WriteRawAsync(response, builder.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes pre-formatted event text and flushes it.</summary>
    public static async Task WriteRawAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
