using System.Text.Json;
using Hanlin.Core.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hanlin.Server.Errors;

/// <summary>
/// Turns exceptions into ProblemDetails with a stable code: domain errors by their code, framework request errors
/// (bad JSON, body too large, wrong content type) as 4xx, a client that went away as 499 with no body, and
/// anything else as a logged 500 that reveals nothing internal.
/// </summary>
internal sealed partial class ProblemExceptionHandler : IExceptionHandler
{
    private readonly IProblemDetailsService _problems;
    private readonly ILogger<ProblemExceptionHandler> _logger;

    public ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    {
        _problems = problems;
        _logger = logger;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            httpContext.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return true;
        }

        var (code, detail) = Classify(exception);
        if (code == ErrorCodes.Internal)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        var problem = ProblemFactory.Create(httpContext, code, detail);
        httpContext.Response.StatusCode = problem.Status!.Value;
        if (code == ErrorCodes.Overloaded)
        {
            // The queue drains in milliseconds; a client library that honours Retry-After comes back at once.
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return await _problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }).ConfigureAwait(false);
    }

    private static (string Code, string Detail) Classify(Exception exception) => exception switch
    {
        HanlinException h => (h.Code, h.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (ServerErrorCodes.RequestTooLarge, "The request body is larger than this endpoint accepts."),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } b =>
            (ErrorCodes.UnsupportedMediaType, b.Message),
        BadHttpRequestException { InnerException: JsonException json } =>
            (ServerErrorCodes.MalformedRequest, "The request body is not valid JSON for this endpoint: " + json.Message),
        BadHttpRequestException b => (ServerErrorCodes.MalformedRequest, b.Message),
        JsonException json => (ServerErrorCodes.MalformedRequest, "The request body is not valid JSON for this endpoint: " + json.Message),
        InvalidDataException data => (ServerErrorCodes.MalformedRequest, "The multipart body is malformed: " + data.Message),
        _ => (ErrorCodes.Internal, "An internal error occurred; the server log has the details."),
    };

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Unhandled error serving {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
