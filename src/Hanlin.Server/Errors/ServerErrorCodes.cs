namespace Hanlin.Server.Errors;

/// <summary>Stable error codes that only the HTTP API produces, beside <see cref="Core.Errors.ErrorCodes"/>.</summary>
public static class ServerErrorCodes
{
    /// <summary>The body is not valid JSON or does not have the expected shape.</summary>
    public const string MalformedRequest = "malformed_request";

    /// <summary>The body is larger than the configured limit.</summary>
    public const string RequestTooLarge = "request_too_large";

    /// <summary>No such model (OpenAI's code for it).</summary>
    public const string ModelNotFound = "model_not_found";

    /// <summary>The server is still opening its store and indexes, or failed to.</summary>
    public const string NotReady = "not_ready";

    /// <summary>No route matches the path.</summary>
    public const string NotFound = "not_found";

    /// <summary>The route exists but not with this HTTP method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>The request carries no API key and the server requires one.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>The API key is not one the server knows.</summary>
    public const string InvalidApiKey = "invalid_api_key";

    /// <summary>The API key's role does not allow this operation.</summary>
    public const string InsufficientRole = "insufficient_role";

    /// <summary>The API key may not use the collection.</summary>
    public const string CollectionForbidden = "collection_forbidden";
}
