using System.Security.Cryptography;
using System.Text;
using Hanlin.Core.Errors;
using Hanlin.Server.Errors;
using Hanlin.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Hanlin.Server.Security;

/// <summary>
/// Resolves the API key of each <c>/api</c> and <c>/v1</c> request (<c>Authorization: Bearer</c>, as OpenAI clients
/// send it, or <c>X-Api-Key</c>) to an <see cref="ApiCaller"/> and checks the endpoint's <see cref="RequiredRole"/>;
/// collection access is checked where the collection is known (<see cref="CollectionAccess"/>). With no keys
/// configured the API is open (the server listens on 127.0.0.1 by default) and every caller is anonymous.
/// Health, OpenAPI and the reference page stay open so probes and documentation work without a key.
/// </summary>
internal sealed partial class ApiKeyAuthentication
{
    private const string ApiKeyHeader = "X-Api-Key";
    private const string BearerPrefix = "Bearer ";

    private readonly RequestDelegate _next;
    private readonly IProblemDetailsService _problems;

    // Keyed by the SHA-256 of the key: the lookup then compares digests, not secrets, so its timing says nothing
    // about how much of a guessed key was right.
    private readonly Dictionary<string, ApiCaller> _callers;

    public ApiKeyAuthentication(RequestDelegate next, IOptions<ServerOptions> options, IProblemDetailsService problems, ILogger<ApiKeyAuthentication> logger)
    {
        _next = next;
        _problems = problems;
        _callers = new Dictionary<string, ApiCaller>(StringComparer.Ordinal);
        var keys = options.Value.ApiKeys;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (string.IsNullOrWhiteSpace(key.Key))
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"Server:ApiKeys:{i} has no key.");
            }

            _callers[Digest(key.Key.Trim())] = new ApiCaller(key.Name ?? $"key {i}", key.Role, key.Collections);
        }

        if (_callers.Count == 0)
        {
            LogOpen(logger);
        }
        else
        {
            LogKeys(logger, _callers.Count);
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_callers.Count == 0 || !IsProtected(context.Request.Path))
        {
            return _next(context);
        }

        var presented = PresentedKey(context.Request);
        if (presented is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return RejectAsync(context, ServerErrorCodes.Unauthenticated, "This server requires an API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
        }

        if (!_callers.TryGetValue(Digest(presented), out var caller))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return RejectAsync(context, ServerErrorCodes.InvalidApiKey, "The API key is not valid.");
        }

        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>()?.Role ?? ApiRole.Read;
        if (caller.Role < required)
        {
            return RejectAsync(context, ServerErrorCodes.InsufficientRole, $"The API key '{caller.Name}' has the {Name(caller.Role)} role; {context.Request.Method} {context.Request.Path} needs {Name(required)}.");
        }

        caller.AttachTo(context);
        return _next(context);
    }

    private static bool IsProtected(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/v1");

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(ApiKeyHeader, out StringValues apiKey) && !StringValues.IsNullOrEmpty(apiKey))
        {
            return apiKey.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) && authorization.Length > BearerPrefix.Length
            ? authorization[BearerPrefix.Length..].Trim()
            : null;
    }

    private async Task RejectAsync(HttpContext context, string code, string detail)
    {
        var problem = ProblemFactory.Create(context, code, detail);
        context.Response.StatusCode = problem.Status!.Value;
        await _problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false);
    }

    private static string Digest(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Name(ApiRole role) => role.ToString().ToLowerInvariant();

    [LoggerMessage(EventId = 5200, Level = LogLevel.Warning, Message = "No API keys are configured: /api and /v1 are open to every client that can reach the server (it listens on 127.0.0.1 unless --host says otherwise)")]
    private static partial void LogOpen(ILogger logger);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "{Count} API keys configured: /api and /v1 require one")]
    private static partial void LogKeys(ILogger logger, int count);
}
