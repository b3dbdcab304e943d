using System.CommandLine;
using Hanlin.Cli.Composition;
using Hanlin.Cli.Output;
using Hanlin.Core.Ingestion;
using Hanlin.Ingestion.Pipeline;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary><c>hanlin ingest &lt;file|dir|glob&gt;... --collection NAME [--recursive]</c>.</summary>
internal static class IngestCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var paths = new Argument<string[]>("paths") { Description = "Files, folders or globs (quote globs: \"docs/**/*.pdf\").", Arity = ArgumentArity.OneOrMore };
        var collection = new Option<string>("--collection", "-c") { Description = "Target collection (created if it does not exist).", Required = true };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Descend into sub-folders." };
        var command = new Command("ingest", "Ingest documents into a collection: extract, clean, dedup, chunk and store them.") { paths, collection, recursive };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var sources = new SourceCollector().Collect(parseResult.GetValue(paths)!, parseResult.GetValue(recursive));
            var result = await RunAsync(session, context, parseResult.GetValue(collection)!, sources, cancellationToken).ConfigureAwait(false);
            return Render(console, context, parseResult.GetValue(collection)!, result);
        });
        return command;
    }

    /// <summary>Runs the job with a live progress bar when a person is watching.</summary>
    internal static async Task<IngestionJobResult> RunAsync(CliSession session, CliContext context, string collection, SourceSet sources, CancellationToken cancellationToken)
    {
        var runner = session.Get<IngestionJobRunner>();
        if (!context.Interactive || sources.Sources.Count == 0)
        {
            return await runner.RunAsync(collection, sources.Sources, sources.Failures, null, cancellationToken).ConfigureAwait(false);
        }

        IngestionJobResult? result = null;
        await context.Console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progressContext =>
            {
                var task = progressContext.AddTask("Ingesting");
                var progress = new Progress<IngestionProgress>(p =>
                {
                    // The runner measured the totals once; the bar follows its bytes.
                    task.MaxValue = Math.Max(1, p.TotalBytes);
                    task.Value = p.DoneBytes;
                    task.Description = p.CurrentFile is null
                        ? $"{p.DoneFiles}/{p.TotalFiles} files"
                        : $"{p.DoneFiles}/{p.TotalFiles} {Markup.Escape(Shorten(p.CurrentFile))}";
                });
                result = await runner.RunAsync(collection, sources.Sources, sources.Failures, progress, cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result!;
    }

    internal static int Render(IAnsiConsole console, CliContext context, string collection, IngestionJobResult result)
    {
        if (context.Json)
        {
            JsonOutput.Write(console, Views.Of(result, collection));
        }
        else
        {
            var table = new Table().AddColumns("File", "Status", "Chunks", "Detail");
            foreach (var file in result.Files)
            {
                table.AddRow(Markup.Escape(file.Path), StatusMarkup(file.Outcome), file.Chunks.ToString("N0"), Markup.Escape(Detail(file)));
            }

            console.Write(table);
            var s = result.Summary;
            console.MarkupLine(
                $"[bold]{Markup.Escape(collection)}[/]: {s.Ingested} ingested, {s.Unchanged} unchanged, {s.Duplicates} duplicates, " +
                $"[{(s.Failed > 0 ? "red" : "green")}]{s.Failed} failed[/]; {s.Chunks:N0} chunks stored, {s.DroppedChunks:N0} near-duplicate chunks dropped (job {result.Job.Id}, {result.Job.Status}).");
        }

        return result.Job.Status switch
        {
            IngestionJobStatus.Succeeded => ExitCodes.Success,
            IngestionJobStatus.PartiallyFailed => ExitCodes.PartialFailure,
            IngestionJobStatus.Cancelled => ExitCodes.Cancelled,
            _ => ExitCodes.Failure,
        };
    }

    private static string StatusMarkup(FileOutcome outcome) => outcome switch
    {
        FileOutcome.Ingested => "[green]ingested[/]",
        FileOutcome.Unchanged => "[grey]unchanged[/]",
        FileOutcome.Duplicate => "[yellow]duplicate[/]",
        _ => "[red]failed[/]",
    };

    private static string Detail(FileResult file) => file.Outcome switch
    {
        FileOutcome.Failed => $"{file.ErrorCode}: {file.ErrorMessage}",
        FileOutcome.Duplicate => $"same text as {file.DocumentId}",
        _ => string.Join("; ", new[]
        {
            file.Version is { } v ? $"v{v}" : null,
            file.DroppedChunks.Count > 0 ? $"{file.DroppedChunks.Count} near-duplicate chunks dropped" : null,
            file.PagesNeedingOcr.Count > 0 ? $"needs OCR: pages {string.Join(',', file.PagesNeedingOcr)}" : null,
        }.Where(x => x is not null)),
    };

    private static string Shorten(string path) => path.Length <= 48 ? path : string.Concat("…", path.AsSpan(path.Length - 47));
}
