using System.CommandLine;
using Hanlin.Cli.Composition;
using Hanlin.Cli.Output;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Core.Storage;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary><c>hanlin documents list|show|delete</c>.</summary>
internal static class DocumentsCommands
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("documents", "List, inspect and delete stored documents.");
        command.Subcommands.Add(ListCommand(console));
        command.Subcommands.Add(ShowCommand(console));
        command.Subcommands.Add(DeleteCommand(console));
        return command;
    }

    internal static async Task<string?> ResolveCollectionIdAsync(IKnowledgeStore store, string? collection, CancellationToken cancellationToken)
    {
        if (collection is null)
        {
            return null;
        }

        var found = await store.GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false);
        return found?.Id ?? throw new HanlinException(ErrorCodes.CollectionNotFound, $"There is no collection '{collection}'.");
    }

    internal static async Task<Document> RequireDocumentAsync(IKnowledgeStore store, string id, CancellationToken cancellationToken) =>
        await store.GetDocumentAsync(id, cancellationToken).ConfigureAwait(false)
        ?? throw new HanlinException(ErrorCodes.DocumentNotFound, $"There is no document '{id}'.");

    internal static void WriteDocumentTable(IAnsiConsole console, IEnumerable<Document> documents)
    {
        var table = new Table().AddColumns("Id", "Source", "Type", "Ver", "Status", "Chunks", "Pages", "Updated");
        foreach (var d in documents)
        {
            var status = d.LastErrorCode is null ? d.Status.ToString() : $"{d.Status} (last update failed: {d.LastErrorCode})";
            table.AddRow(d.Id, Markup.Escape(d.SourceName), MediaTypes.ShortName(d.MediaType), d.Version.ToString(), Markup.Escape(status), d.ChunkCount.ToString("N0"), d.PageCount?.ToString() ?? "-", d.UpdatedAt.ToString("u"));
        }

        console.Write(table);
    }

    private static Command ListCommand(IAnsiConsole console)
    {
        var collection = new Option<string?>("--collection", "-c") { Description = "Only this collection." };
        var command = new Command("list", "List documents.") { collection };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var collectionId = await ResolveCollectionIdAsync(session.Store, parseResult.GetValue(collection), cancellationToken).ConfigureAwait(false);
            var documents = await session.Store.ListDocumentsAsync(collectionId, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, new { documents = documents.Select(Views.Of) });
            }
            else
            {
                WriteDocumentTable(console, documents);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ShowCommand(IAnsiConsole console)
    {
        var id = new Argument<string>("document") { Description = "Document id." };
        var command = new Command("show", "Show a document and its versions.") { id };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var document = await RequireDocumentAsync(session.Store, parseResult.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            var versions = await session.Store.ListVersionsAsync(document.Id, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, new { document = Views.Of(document), versions = versions.Select(Views.Of) });
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Id", document.Id);
            grid.AddRow("Source", Markup.Escape(document.SourceName));
            grid.AddRow("Title", Markup.Escape(document.Title ?? "-"));
            grid.AddRow("Type", document.MediaType);
            grid.AddRow("Size", $"{document.SizeBytes:N0} bytes");
            grid.AddRow("Sha256", document.Sha256);
            grid.AddRow("Version", document.Version.ToString());
            grid.AddRow("Status", document.Status.ToString());
            grid.AddRow("Chunks", document.ChunkCount.ToString("N0"));
            grid.AddRow("Pages", document.PageCount?.ToString() ?? "-");
            if (document.LastErrorCode is not null)
            {
                grid.AddRow("[red]Last error[/]", Markup.Escape($"{document.LastErrorCode}: {document.LastErrorMessage}"));
            }

            console.Write(grid);
            var table = new Table().AddColumns("Version", "Id", "Size", "Text chars", "Pages", "Needs OCR", "Chunks", "Created");
            foreach (var v in versions)
            {
                table.AddRow(v.Version.ToString(), v.Id, v.SizeBytes.ToString("N0"), v.TextLength.ToString("N0"), v.PageCount?.ToString() ?? "-", v.PagesNeedingOcr.Count == 0 ? "-" : string.Join(',', v.PagesNeedingOcr), v.ChunkCount.ToString("N0"), v.CreatedAt.ToString("u"));
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command DeleteCommand(IAnsiConsole console)
    {
        var id = new Argument<string>("document") { Description = "Document id." };
        var command = new Command("delete", "Delete a document, its versions and chunks.") { id };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var target = parseResult.GetValue(id)!;
            if (!await session.Store.DeleteDocumentAsync(target, cancellationToken).ConfigureAwait(false))
            {
                throw new HanlinException(ErrorCodes.DocumentNotFound, $"There is no document '{target}'.");
            }

            await session.Get<Core.Indexing.IChunkIndex>().RemoveDocumentAsync(target, cancellationToken).ConfigureAwait(false);

            if (context.Json)
            {
                JsonOutput.Write(console, new { deleted = target });
            }
            else
            {
                console.MarkupLine($"Deleted document {target}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
