using System.CommandLine;
using Hanlin.Cli.Composition;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Pipeline;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin demo</c>: ingests the bundled sample corpus (medical and finance, Chinese and English) into the
/// <c>demo</c> collection and lists what was stored. Idempotent: a second run finds everything unchanged.
/// </summary>
internal static class DemoCommand
{
    public const string CollectionName = "demo";

    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("demo", "Ingest the bundled samples into the 'demo' collection and list what was stored.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var samples = LocateSamples();
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            // The corpus lives in the sub-folders; samples/README.md and questions.jsonl describe it.
            var folders = Directory.GetDirectories(samples).Order(StringComparer.Ordinal).ToArray();
            var sources = new SourceCollector(Path.GetDirectoryName(samples)).Collect(folders, recursive: true);
            var result = await IngestCommand.RunAsync(session, context, CollectionName, sources, cancellationToken).ConfigureAwait(false);
            var collection = await session.Store.GetCollectionAsync(CollectionName, cancellationToken).ConfigureAwait(false);
            var documents = await session.Store.ListDocumentsAsync(collection!.Id, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, new { ingest = Views.Of(result, CollectionName), documents = documents.Select(Views.Of) });
                return result.Summary.Failed == 0 ? ExitCodes.Success : ExitCodes.PartialFailure;
            }

            var exit = IngestCommand.Render(console, context, CollectionName, result);
            console.WriteLine();
            console.MarkupLine($"[bold]Stored in '{CollectionName}'[/] (data: {Markup.Escape(session.Get<Hanlin.Storage.HanlinDataDirectory>().Root)}):");
            DocumentsCommands.WriteDocumentTable(console, documents);
            console.MarkupLine("Next: [bold]hanlin chunks <id>[/] shows a document's chunks with their section, pages and offsets.");
            return exit;
        });
        return command;
    }

    /// <summary>The samples are copied next to the executable at build time; a source checkout also works.</summary>
    internal static string LocateSamples()
    {
        foreach (var candidate in new[] { Path.Combine(AppContext.BaseDirectory, "samples"), Path.Combine(Directory.GetCurrentDirectory(), "samples") })
        {
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new HanlinException(ErrorCodes.FileNotFound, "The bundled samples folder was not found next to the hanlin executable.");
    }
}
