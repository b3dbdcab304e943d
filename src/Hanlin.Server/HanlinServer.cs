using System.Net;
using Hanlin.Ingestion.Chunking;
using Hanlin.Server.Endpoints;
using Hanlin.Server.FineTuning;
using Hanlin.Server.Hosting;
using Hanlin.Server.OpenAi;
using Hanlin.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace Hanlin.Server;

/// <summary>
/// Builds the Hanlin HTTP server: Kestrel, the composed services and every endpoint. Hosts call
/// <see cref="Create"/>, then <c>RunAsync</c> (or <c>StartAsync</c> and <see cref="GetAddress"/> in tests).
/// </summary>
public static class HanlinServer
{
    // Per-request framework logs are noise at the console; Hanlin's own events and start/stop stay visible.
    private static readonly Dictionary<string, string?> DefaultConfiguration = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    /// <summary>
    /// Creates the application. Configuration: <c>HANLIN_</c>-prefixed environment variables, then
    /// <see cref="HanlinServerSettings.Configuration"/>. <paramref name="configureServices"/> runs after the
    /// standard composition, so it can add an answerer, a chat client or an embedding generator, or replace services.
    /// </summary>
    public static WebApplication Create(HanlinServerSettings settings, Action<IServiceCollection, IConfiguration>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // Loading the cl100k vocabulary (~0.2 s of CPU) is needed by ingestion and answer usage counts; started
        // now on another core, it overlaps building the host and opening the index instead of delaying start-up
        // when the first service that counts tokens is constructed (TokenCounter.Default is a thread-safe Lazy).
        _ = Task.Run(() => TokenCounter.Default);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(HanlinServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddInMemoryCollection(DefaultConfiguration)
            .AddEnvironmentVariables("HANLIN_")
            .AddInMemoryCollection(settings.Configuration);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // The per-endpoint limit is applied by BodySizeLimitMiddleware; this is only the ceiling.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(ParseHost(settings.Host), settings.Port);
        });
        builder.Services.AddHanlinServer(builder.Configuration, settings.DataDirectory);
        builder.Services.AddSingleton(new StartupHook(settings.BeforeReady));
        configureServices?.Invoke(builder.Services, builder.Configuration);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<ApiKeyAuthentication>();
        app.UseMiddleware<BodySizeLimitMiddleware>();
        app.MapHanlinEndpoints();
        return app;
    }

    /// <summary>Maps <c>/api</c>, <c>/v1</c>, health, the OpenAPI document (<c>/openapi/v1.json</c>) and the reference page (<c>/scalar</c>, <c>/docs</c>).</summary>
    public static IEndpointRouteBuilder MapHanlinEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").AddEndpointFilter<ReadinessFilter>();
        api.MapCollectionsEndpoints()
            .MapDocumentsEndpoints()
            .MapUploadEndpoints()
            .MapJobsEndpoints()
            .MapSearchEndpoints()
            .MapAskEndpoints();

        var v1 = app.MapGroup("/v1").AddEndpointFilter<ReadinessFilter>();
        v1.MapModelsEndpoints()
            .MapChatCompletionsEndpoints()
            .MapEmbeddingsEndpoints()
            .MapFineTuningEndpoints();

        app.MapHealthEndpoints();
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapGet("/docs", () => TypedResults.Redirect("/scalar/v1")).ExcludeFromDescription();
        return app;
    }

    /// <summary>The base address Kestrel actually listens on (with the chosen port when 0 was asked for); after start.</summary>
    public static Uri GetAddress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The server has not started.");
        return new Uri(first.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal));
    }

    /// <summary>Completes when the store is open and the index synchronised; throws if start-up failed.</summary>
    public static Task WaitUntilReadyAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<ServerReadiness>().Ready.WaitAsync(cancellationToken);
    }

    private static IPAddress ParseHost(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "+" => IPAddress.Any,
        _ => IPAddress.TryParse(host, out var address)
            ? address
            : throw new Core.Errors.HanlinException(Core.Errors.ErrorCodes.InvalidArgument, $"'{host}' is not an IP address to listen on (use e.g. 127.0.0.1, 0.0.0.0 or localhost)."),
    };
}
