using System.CommandLine;
using Hanlin.Cli.Composition;
using Hanlin.Cli.Output;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary><c>hanlin chunks &lt;document&gt; [--full]</c>: the chunks of a document's current version with provenance.</summary>
internal static class ChunksCommand
{
    private const int PreviewLength = 120;

    public static Command Create(IAnsiConsole console)
    {
        var id = new Argument<string>("document") { Description = "Document id." };
        var full = new Option<bool>("--full") { Description = "Print whole chunk texts instead of previews." };
        var command = new Command("chunks", "Show the chunks of a document with section, pages, offsets and token counts.") { id, full };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var document = await DocumentsCommands.RequireDocumentAsync(session.Store, parseResult.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            var chunks = await session.Store.GetChunksAsync(document.Id, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, new { document_id = document.Id, source = document.SourceName, version = document.Version, chunks = chunks.Select(Views.Of) });
                return ExitCodes.Success;
            }

            var showFull = parseResult.GetValue(full);
            var table = new Table().AddColumns("#", "Kind", "Section", "Pages", "Chars", "Tokens", "Text");
            foreach (var c in chunks)
            {
                var pages = c.PageStart is null ? "-" : c.PageStart == c.PageEnd ? $"{c.PageStart}" : $"{c.PageStart}-{c.PageEnd}";
                var text = showFull || c.Text.Length <= PreviewLength ? c.Text : string.Concat(c.Text.AsSpan(0, PreviewLength), "…");
                table.AddRow(c.Ordinal.ToString(), c.Kind.ToString(), Markup.Escape(c.SectionPath), pages, $"{c.CharStart}-{c.CharEnd}", c.TokenCount.ToString(), Markup.Escape(showFull ? text : text.ReplaceLineEndings(" ")));
            }

            console.MarkupLine($"[bold]{Markup.Escape(document.SourceName)}[/] v{document.Version}: {chunks.Count} chunks");
            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
