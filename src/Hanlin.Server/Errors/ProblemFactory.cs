using Microsoft.AspNetCore.Mvc;

namespace Hanlin.Server.Errors;

/// <summary>
/// Builds error bodies: a ProblemDetails with a stable <c>code</c> extension; under <c>/v1</c> it also carries an
/// OpenAI-style <c>error</c> object so OpenAI client libraries report the message and code.
/// </summary>
public static class ProblemFactory
{
    /// <summary>Fills <paramref name="problem"/>'s <c>code</c>, <c>type</c> and, for <c>/v1</c> paths, <c>error</c>.</summary>
    public static void Decorate(ProblemDetails problem, HttpContext context, string code)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(context);
        problem.Extensions["code"] = code;
        problem.Type ??= "urn:hanlin:error:" + code;
        problem.Instance ??= context.Request.Path;
        if (context.Request.Path.StartsWithSegments("/v1"))
        {
            var status = problem.Status ?? StatusCodes.Status500InternalServerError;
            problem.Extensions["error"] = new Dictionary<string, object?>
            {
                ["message"] = problem.Detail ?? problem.Title,
                ["type"] = status >= 500 ? "server_error" : "invalid_request_error",
                ["param"] = null,
                ["code"] = code == Core.Errors.ErrorCodes.UnsupportedModel ? ServerErrorCodes.ModelNotFound : code,
            };
        }
    }

    /// <summary>A problem for <paramref name="code"/> with a human <paramref name="detail"/>.</summary>
    public static ProblemDetails Create(HttpContext context, string code, string detail)
    {
        var status = ErrorStatus.For(code);
        var problem = new ProblemDetails
        {
            Status = status,
            Title = ReasonPhrase(status),
            Detail = detail,
        };
        Decorate(problem, context, code);
        return problem;
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
