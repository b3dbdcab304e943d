using System.CommandLine;
using Hanlin.Cli.Composition;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary><c>hanlin collections create|list|delete</c>.</summary>
internal static class CollectionsCommands
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("collections", "Create, list and delete collections.");
        command.Subcommands.Add(CreateCommand(console));
        command.Subcommands.Add(ListCommand(console));
        command.Subcommands.Add(DeleteCommand(console));
        return command;
    }

    private static Command CreateCommand(IAnsiConsole console)
    {
        var name = new Argument<string>("name") { Description = "Collection name (letters, digits, '-', '_', '.')." };
        var description = new Option<string?>("--description", "-d") { Description = "What the collection holds." };
        var command = new Command("create", "Create a collection.") { name, description };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var created = await session.Store.CreateCollectionAsync(parseResult.GetValue(name)!, parseResult.GetValue(description), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, Views.Of(created));
            }
            else
            {
                console.MarkupLine($"Created collection [bold]{Markup.Escape(created.Name)}[/] ({created.Id}).");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand(IAnsiConsole console)
    {
        var command = new Command("list", "List collections with their document and chunk counts.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var collections = await session.Store.ListCollectionsAsync(cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, new { collections = collections.Select(Views.Of) });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Name", "Id", "Documents", "Chunks", "Created", "Description");
            foreach (var c in collections)
            {
                table.AddRow(Markup.Escape(c.Name), c.Id, c.DocumentCount.ToString("N0"), c.ChunkCount.ToString("N0"), c.CreatedAt.ToString("u"), Markup.Escape(c.Description ?? string.Empty));
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command DeleteCommand(IAnsiConsole console)
    {
        var name = new Argument<string>("name") { Description = "Collection name or id." };
        var command = new Command("delete", "Delete a collection with all its documents and chunks.") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var target = parseResult.GetValue(name)!;
            var collection = await session.Store.GetCollectionAsync(target, cancellationToken).ConfigureAwait(false)
                ?? throw new HanlinException(ErrorCodes.CollectionNotFound, $"There is no collection '{target}'.");
            await session.Store.DeleteCollectionAsync(collection.Id, cancellationToken).ConfigureAwait(false);
            await session.Get<Core.Indexing.IChunkIndex>().RemoveCollectionAsync(collection.Id, cancellationToken).ConfigureAwait(false);

            if (context.Json)
            {
                JsonOutput.Write(console, new { deleted = target });
            }
            else
            {
                console.MarkupLine($"Deleted collection [bold]{Markup.Escape(target)}[/].");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
