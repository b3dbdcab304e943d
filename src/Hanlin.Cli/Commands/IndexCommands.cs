using System.CommandLine;
using Hanlin.Cli.Composition;
using Hanlin.Cli.Output;
using Hanlin.Retrieval.Lexical;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary><c>hanlin index rebuild|check</c>: the BM25 index against storage, the source of truth.</summary>
internal static class IndexCommands
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("index", "Maintain the search index.");
        command.Subcommands.Add(Sync(console, "rebuild", "Recreate the search index from storage.", rebuild: true));
        command.Subcommands.Add(Sync(console, "check", "Repair the search index where it disagrees with storage.", rebuild: false));
        return command;
    }

    private static Command Sync(IAnsiConsole console, string name, string description, bool rebuild)
    {
        var command = new Command(name, description);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var index = session.Get<LuceneChunkIndex>();
            var report = await index.SynchronizeAsync(session.Store, rebuild, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, new { report, indexed_chunks = index.Index.Count });
            }
            else
            {
                console.MarkupLine($"{report.DocumentsChecked} documents checked, {report.DocumentsReindexed} re-indexed ({report.ChunksIndexed:N0} chunks), {report.DocumentsRemoved} removed; the index holds {index.Index.Count:N0} chunks.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
