using System.CommandLine;
using Hanlin.Cli.Composition;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Lexical;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin search "query" [-c NAME]... [--top-k N]</c>: BM25 search over stored chunks with provenance.
/// The index is first brought in line with storage (repairing what a crash may have left behind).
/// </summary>
internal static class SearchCommand
{
    private const int SnippetLength = 160;

    public static Command Create(IAnsiConsole console)
    {
        var query = new Argument<string>("query") { Description = "What to look for (Chinese, English or mixed)." };
        var collections = new Option<string[]>("--collection", "-c") { Description = "Only these collections (repeatable).", AllowMultipleArgumentsPerToken = true };
        var topK = new Option<int>("--top-k", "-k") { Description = "Number of hits (1-100).", DefaultValueFactory = _ => 10 };
        var command = new Command("search", "Search the knowledge base (BM25) and show each hit's document, section and pages.") { query, collections, topK };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var k = parseResult.GetValue(topK);
            if (k is < 1 or > 100)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"--top-k must be between 1 and 100, not {k}.");
            }

            var text = parseResult.GetValue(query)!;
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, "The query is empty.");
            }

            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var collectionIds = new List<string>();
            foreach (var name in parseResult.GetValue(collections) ?? [])
            {
                collectionIds.Add((await DocumentsCommands.ResolveCollectionIdAsync(session.Store, name, cancellationToken).ConfigureAwait(false))!);
            }

            var index = session.Get<LuceneChunkIndex>();
            await index.SynchronizeAsync(session.Store, rebuild: false, cancellationToken).ConfigureAwait(false);
            var filter = collectionIds.Count == 0 ? null : new SearchFilter { CollectionIds = collectionIds };
            var hits = index.Index.Search(text, filter, k);

            var rows = new List<SearchRow>(hits.Count);
            foreach (var hit in hits)
            {
                var chunk = await session.Store.GetChunkAsync(hit.ChunkId, cancellationToken).ConfigureAwait(false);
                var document = chunk is null ? null : await session.Store.GetDocumentAsync(chunk.DocumentId, cancellationToken).ConfigureAwait(false);
                if (chunk is not null && document is not null)
                {
                    rows.Add(new SearchRow(hit.Rank, hit.Score, chunk.Id, document.Id, document.SourceName, document.Version, chunk.SectionPath, chunk.PageStart, chunk.PageEnd, chunk.CharStart, chunk.CharEnd, chunk.Text));
                }
            }

            if (context.Json)
            {
                JsonOutput.Write(console, new { query = text, mode = "bm25", hits = rows });
                return ExitCodes.Success;
            }

            if (rows.Count == 0)
            {
                console.MarkupLine("No matching chunks.");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("#", "Score", "Document", "Section", "Pages", "Text");
            foreach (var r in rows)
            {
                var pages = r.PageStart is null ? "-" : r.PageStart == r.PageEnd ? $"{r.PageStart}" : $"{r.PageStart}-{r.PageEnd}";
                var flat = r.Text.ReplaceLineEndings(" ");
                var snippet = flat.Length <= SnippetLength ? flat : string.Concat(flat.AsSpan(0, SnippetLength), "…");
                table.AddRow(r.Rank.ToString(), r.Score.ToString("F2"), Markup.Escape(r.DocumentName), Markup.Escape(r.Section), pages, Markup.Escape(snippet));
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One hit as shown and as written with <c>--json</c>.</summary>
    internal sealed record SearchRow(int Rank, double Score, string ChunkId, string DocumentId, string DocumentName, int Version, string Section, int? PageStart, int? PageEnd, int CharStart, int CharEnd, string Text);
}
