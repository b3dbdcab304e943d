using System.CommandLine;
using System.Diagnostics;
using Hanlin.Core.Storage;
using Hanlin.Ingestion.Pipeline;
using Hanlin.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin serve [--port 5080] [--host 127.0.0.1] [--demo]</c>: the REST and OpenAI-compatible API on Kestrel.
/// With <c>--demo</c> the bundled samples are ingested into the <c>demo</c> collection on first start. Ctrl+C
/// stops gracefully (in-flight requests finish, the upload job in work is cancelled, the index is committed).
/// </summary>
internal static class ServeCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var port = new Option<int>("--port", "-p") { Description = "TCP port (0 picks a free one).", DefaultValueFactory = _ => 5080 };
        var host = new Option<string>("--host") { Description = "Address to listen on (0.0.0.0 for all interfaces).", DefaultValueFactory = _ => "127.0.0.1" };
        var demo = new Option<bool>("--demo") { Description = "Ingest the bundled samples into the 'demo' collection on first start." };
        var command = new Command("serve", "Serve the REST API (/api), the OpenAI-compatible API (/v1) and the API reference (/scalar).") { port, host, demo };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var p = parseResult.GetValue(port);
            if (p is < 0 or > 65535)
            {
                throw new Core.Errors.HanlinException(Core.Errors.ErrorCodes.InvalidArgument, $"--port must be between 0 and 65535, not {p}.");
            }

            // The demo corpus is ingested before the server reports ready, so the first question already finds it.
            Func<IServiceProvider, CancellationToken, Task>? beforeReady = parseResult.GetValue(demo)
                ? (services, token) => EnsureDemoAsync(console, services, token)
                : null;
            var app = HanlinServer.Create(new HanlinServerSettings { Host = parseResult.GetValue(host)!, Port = p, DataDirectory = context.DataDirectory, BeforeReady = beforeReady });
            await using (app.ConfigureAwait(false))
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                await app.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
                var coldStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
                var address = app.GetAddress();
                if (context.Json)
                {
                    Output.JsonOutput.Write(console, new { url = address, ready_ms = (long)coldStart.TotalMilliseconds });
                }
                else
                {
                    console.MarkupLine($"[bold green]Hanlin is serving[/] at [link]{address}[/] (ready {coldStart.TotalMilliseconds:F0} ms after process start)");
                    console.MarkupLine($"  API reference  [link]{new Uri(address, "/scalar/v1")}[/]   OpenAPI  {new Uri(address, "/openapi/v1.json")}");
                    console.MarkupLine($"  OpenAI base URL  {new Uri(address, "/v1")}   models: [bold]kb:<collection>[/]{(parseResult.GetValue(demo) ? " (try kb:demo)" : string.Empty)}");
                    console.MarkupLine("Press Ctrl+C to stop.");
                }

                try
                {
                    await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C: stop below like any shutdown.
                }

                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Ingests the samples when the demo collection is missing or empty; later starts skip it.</summary>
    private static async Task EnsureDemoAsync(IAnsiConsole console, IServiceProvider services, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IKnowledgeStore>();
        var existing = await store.GetCollectionAsync(DemoCommand.CollectionName, cancellationToken).ConfigureAwait(false);
        if (existing is { DocumentCount: > 0 })
        {
            return;
        }

        var samples = DemoCommand.LocateSamples();
        var folders = Directory.GetDirectories(samples).Order(StringComparer.Ordinal).ToArray();
        var sources = new SourceCollector(Path.GetDirectoryName(samples)).Collect(folders, recursive: true);
        console.MarkupLine($"Ingesting {sources.Sources.Count} sample files into '{DemoCommand.CollectionName}'…");
        var result = await services.GetRequiredService<IngestionJobRunner>()
            .RunAsync(DemoCommand.CollectionName, sources.Sources, sources.Failures, null, cancellationToken).ConfigureAwait(false);
        console.MarkupLine($"'{DemoCommand.CollectionName}': {result.Summary.Ingested} ingested, {result.Summary.Failed} failed, {result.Summary.Chunks:N0} chunks.");
    }
}
