using System.CommandLine;
using Hanlin.Cli.Commands;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Spectre.Console;

namespace Hanlin.Cli;

/// <summary>
/// The <c>hanlin</c> command line: builds the command tree, maps domain errors to exit codes and messages
/// (or a JSON error document with <c>--json</c>), and turns Ctrl+C into cancellation.
/// </summary>
public static class CliApplication
{
    /// <summary>Runs the CLI. <paramref name="console"/> lets tests capture output; defaults to the terminal.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole? console = null, CancellationToken cancellationToken = default)
    {
        console ??= AnsiConsole.Console;
        var root = BuildRootCommand(console);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parseResult.Errors)
            {
                console.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            }

            console.MarkupLine("Run [bold]hanlin --help[/] for usage.");
            return ExitCodes.UsageError;
        }

        var config = new InvocationConfiguration
        {
            Output = console.Profile.Out.Writer,
            Error = console.Profile.Out.Writer,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parseResult.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (HanlinException ex)
        {
            return ReportError(console, parseResult, ex.Code, ex.Message, ExitCodeFor(ex.Code));
        }
        catch (OperationCanceledException)
        {
            return ReportError(console, parseResult, ErrorCodes.Cancelled, "Cancelled.", ExitCodes.Cancelled);
        }
    }

    private static RootCommand BuildRootCommand(IAnsiConsole console)
    {
        var root = new RootCommand("Hanlin 翰林 — private vertical-LLM knowledge base: ingest, search, answer, fine-tune.");
        root.Options.Add(CliGlobalOptions.Data);
        root.Options.Add(CliGlobalOptions.Json);
        root.Subcommands.Add(CollectionsCommands.Create(console));
        root.Subcommands.Add(IngestCommand.Create(console));
        root.Subcommands.Add(DocumentsCommands.Create(console));
        root.Subcommands.Add(ChunksCommand.Create(console));
        root.Subcommands.Add(SearchCommand.Create(console));
        root.Subcommands.Add(AskCommand.Create(console));
        root.Subcommands.Add(EvalCommands.Create(console));
        root.Subcommands.Add(IndexCommands.Create(console));
        root.Subcommands.Add(JobsCommands.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(ServeCommand.Create(console));
        root.Subcommands.Add(BenchCommands.Create(console));
        root.Subcommands.Add(ModelCommands.CreateModel(console));
        root.Subcommands.Add(ModelCommands.CreateGenerate(console));
        root.Subcommands.Add(ModelCommands.CreateChat(console));
        root.Subcommands.Add(ModelCommands.CreateEmbed(console));
        root.Subcommands.Add(FinetuneCommands.Create(console));
        root.Subcommands.Add(ModelsCommands.Create(console));
        return root;
    }

    private static int ReportError(IAnsiConsole console, ParseResult parseResult, string code, string message, int exitCode)
    {
        if (parseResult.GetValue(CliGlobalOptions.Json))
        {
            JsonOutput.Write(console, new { error = new { code, message } });
        }
        else
        {
            console.MarkupLine($"[red]error[/] [grey]({Markup.Escape(code)})[/]: {Markup.Escape(message)}");
        }

        return exitCode;
    }

    private static int ExitCodeFor(string code) => code switch
    {
        ErrorCodes.InvalidArgument or ErrorCodes.InvalidCollectionName => ExitCodes.UsageError,
        ErrorCodes.Cancelled => ExitCodes.Cancelled,
        _ => ExitCodes.Failure,
    };
}
