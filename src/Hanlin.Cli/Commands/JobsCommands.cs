using System.CommandLine;
using Hanlin.Cli.Composition;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Pipeline;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary><c>hanlin jobs list|show</c>: ingestion jobs and their per-file results.</summary>
internal static class JobsCommands
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("jobs", "Inspect ingestion jobs.");
        command.Subcommands.Add(ListCommand(console));
        command.Subcommands.Add(ShowCommand(console));
        return command;
    }

    private static Command ListCommand(IAnsiConsole console)
    {
        var collection = new Option<string?>("--collection", "-c") { Description = "Only jobs of this collection." };
        var limit = new Option<int>("--limit") { Description = "Most recent N jobs.", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "List recent ingestion jobs.") { collection, limit };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var collectionId = await DocumentsCommands.ResolveCollectionIdAsync(session.Store, parseResult.GetValue(collection), cancellationToken).ConfigureAwait(false);
            var jobs = await session.Store.ListJobsAsync(collectionId, Math.Clamp(parseResult.GetValue(limit), 1, 1000), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, new { jobs = jobs.Select(Views.Of) });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Id", "Status", "Files", "Bytes", "Created", "Finished");
            foreach (var j in jobs)
            {
                table.AddRow(j.Id, j.Status.ToString(), $"{j.DoneFiles}/{j.TotalFiles}", $"{j.DoneBytes:N0}/{j.TotalBytes:N0}", j.CreatedAt.ToString("u"), j.FinishedAt?.ToString("u") ?? "-");
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ShowCommand(IAnsiConsole console)
    {
        var id = new Argument<string>("job") { Description = "Job id." };
        var command = new Command("show", "Show a job's per-file results.") { id };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var jobId = parseResult.GetValue(id)!;
            var job = await session.Store.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false)
                ?? throw new HanlinException(ErrorCodes.JobNotFound, $"There is no job '{jobId}'.");
            var files = await session.Store.GetFileResultsAsync(job.Id, cancellationToken).ConfigureAwait(false);
            var result = new IngestionJobResult(job, files, IngestionSummary.From(files));
            IngestCommand.Render(console, context, job.CollectionId, result);
            return ExitCodes.Success;
        });
        return command;
    }
}
