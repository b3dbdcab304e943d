using Hanlin.Server.Contracts;
using Hanlin.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hanlin.Server.Endpoints;

/// <summary><c>/healthz</c>: the process serves; <c>/readyz</c>: the store is open and the index synchronised.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "live" })).WithTags("Health").WithSummary("Liveness.");
        app.MapGet("/readyz", Ready).WithTags("Health").WithSummary("Readiness: 200 once the store is open and the index synchronised, else 503.");
        return app;
    }

    private static Results<Ok<ReadyStatus>, JsonHttpResult<ReadyStatus>> Ready(ServerReadiness readiness) =>
        readiness.IsReady
            ? TypedResults.Ok(new ReadyStatus("ready", null))
            : TypedResults.Json(new ReadyStatus(readiness.Failure is null ? "starting" : "failed", readiness.Failure?.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
}
