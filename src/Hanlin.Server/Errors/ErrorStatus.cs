using Hanlin.Core.Errors;

namespace Hanlin.Server.Errors;

/// <summary>The HTTP status of each stable error code.</summary>
public static class ErrorStatus
{
    /// <summary>Status for <paramref name="code"/>; unknown codes are server faults (500).</summary>
    public static int For(string code) => code switch
    {
        ErrorCodes.InvalidArgument or ErrorCodes.InvalidCollectionName or ErrorCodes.InvalidFileName
            or ErrorCodes.EmptyFile or ErrorCodes.DatasetEmpty or ErrorCodes.DatasetInvalid or ServerErrorCodes.MalformedRequest => StatusCodes.Status400BadRequest,
        ErrorCodes.CollectionNotFound or ErrorCodes.DocumentNotFound or ErrorCodes.JobNotFound or ErrorCodes.FileNotFound
            or ErrorCodes.UnsupportedModel or ServerErrorCodes.ModelNotFound or ServerErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ServerErrorCodes.Unauthenticated or ServerErrorCodes.InvalidApiKey => StatusCodes.Status401Unauthorized,
        ServerErrorCodes.InsufficientRole or ServerErrorCodes.CollectionForbidden => StatusCodes.Status403Forbidden,
        ServerErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorCodes.CollectionExists or ErrorCodes.JobNotCancellable or ErrorCodes.FileInUse => StatusCodes.Status409Conflict,
        ErrorCodes.FileTooLarge or ErrorCodes.ArchiveBomb or ServerErrorCodes.RequestTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.UnsupportedMediaType or ErrorCodes.BinaryContent => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.CorruptFile or ErrorCodes.EncryptedFile or ErrorCodes.NoTextContent or ErrorCodes.UnreadableFile
            or ErrorCodes.ContextLengthExceeded => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.Cancelled => StatusCodes.Status499ClientClosedRequest,
        ErrorCodes.RuntimeUnavailable or ErrorCodes.Overloaded or ServerErrorCodes.NotReady => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>A sentence for a status the framework set without one (no route, wrong method or content type).</summary>
    public static string DescribeStatus(int status, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is served at '{request.Path}'; /openapi/v1.json lists the endpoints.",
            StatusCodes.Status405MethodNotAllowed => $"'{request.Path}' does not accept {request.Method}.",
            StatusCodes.Status415UnsupportedMediaType => $"'{request.Path}' does not accept a body of type '{request.ContentType}'; send application/json.",
            StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
            _ => $"The request failed with status {status}.",
        };
    }

    /// <summary>A code for a status that was set without one (routing 404/405, framework 4xx).</summary>
    public static string CodeFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => ServerErrorCodes.NotFound,
        StatusCodes.Status405MethodNotAllowed => ServerErrorCodes.MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => ServerErrorCodes.RequestTooLarge,
        StatusCodes.Status415UnsupportedMediaType => ErrorCodes.UnsupportedMediaType,
        StatusCodes.Status503ServiceUnavailable => ServerErrorCodes.NotReady,
        >= 400 and < 500 => ServerErrorCodes.MalformedRequest,
        _ => ErrorCodes.Internal,
    };
}
