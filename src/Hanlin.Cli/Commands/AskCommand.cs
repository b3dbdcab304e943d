using System.CommandLine;
using Hanlin.Cli.Composition;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Rag.Answers;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Lexical;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin ask "question" [-c NAME]... [--top-k N] [--model NAME]</c>: answers from the knowledge base,
/// streaming the text to the terminal, then the numbered sources as a table and any verification warnings.
/// With <c>--json</c> it prints the whole answer (text, citations, per-sentence verification) as one document.
/// </summary>
internal static class AskCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var question = new Argument<string>("question") { Description = "The question (Chinese, English or mixed)." };
        var collections = new Option<string[]>("--collection", "-c") { Description = "Only these collections (repeatable).", AllowMultipleArgumentsPerToken = true };
        var topK = new Option<int>("--top-k", "-k") { Description = "Chunks retrieved as evidence (1-100).", DefaultValueFactory = _ => 8 };
        var model = new Option<string?>("--model", "-m") { Description = "Chat model to generate with ('extractive' for the built-in answerer)." };
        var language = new Option<string?>("--language") { Description = "Answer language, zh or en (default: the question's)." };
        var command = new Command("ask", "Answer a question from the knowledge base with numbered, verified citations (or say it is not there).")
        {
            question, collections, topK, model, language,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var k = parseResult.GetValue(topK);
            if (k is < 1 or > 100)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"--top-k must be between 1 and 100, not {k}.");
            }

            var text = parseResult.GetValue(question)!;
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, "The question is empty.");
            }

            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            var collectionIds = new List<string>();
            foreach (var name in parseResult.GetValue(collections) ?? [])
            {
                collectionIds.Add((await DocumentsCommands.ResolveCollectionIdAsync(session.Store, name, cancellationToken).ConfigureAwait(false))!);
            }

            await session.Get<LuceneChunkIndex>().SynchronizeAsync(session.Store, rebuild: false, cancellationToken).ConfigureAwait(false);
            var request = new AskRequest(text)
            {
                Filter = collectionIds.Count == 0 ? SearchFilter.None : new SearchFilter { CollectionIds = collectionIds },
                TopK = k,
                ChatModel = parseResult.GetValue(model),
                Language = parseResult.GetValue(language),
            };
            var answerer = session.Get<IKnowledgeAnswerer>();
            if (context.Json)
            {
                JsonOutput.Write(console, await answerer.AskAsync(request, cancellationToken).ConfigureAwait(false));
                return ExitCodes.Success;
            }

            RagAnswer? answer = null;
            var writer = console.Profile.Out.Writer;
            await foreach (var update in answerer.AskStreamingAsync(request, cancellationToken).ConfigureAwait(false))
            {
                if (update.Delta is { } delta)
                {
                    writer.Write(delta);
                    writer.Flush();
                }

                answer = update.Completed ?? answer;
            }

            writer.WriteLine();
            if (answer is not null)
            {
                Render(console, answer);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, RagAnswer answer)
    {
        if (answer.Notice is { } notice)
        {
            console.MarkupLine($"[grey]{Markup.Escape(notice)}[/]");
        }

        if (answer.Refused || answer.Citations.Count == 0)
        {
            return;
        }

        var cited = answer.Verification.SelectMany(v => v.Cited).ToHashSet();
        var table = new Table().AddColumns("#", "Document", "Section", "Pages", "Chars", "Snippet");
        foreach (var c in answer.Citations.Where(c => cited.Contains(c.Number)))
        {
            var pages = c.PageStart is null ? "-" : c.PageStart == c.PageEnd ? $"{c.PageStart}" : $"{c.PageStart}-{c.PageEnd}";
            var snippet = c.Snippet.Length <= 120 ? c.Snippet : string.Concat(c.Snippet.AsSpan(0, 120), "…");
            table.AddRow(Markup.Escape($"[{c.Number}]"), Markup.Escape($"{c.DocumentName} (v{c.Version})"), Markup.Escape(c.SectionPath), pages, $"{c.CharStart}-{c.CharEnd}", Markup.Escape(snippet));
        }

        console.Write(table);
        foreach (var v in answer.Verification.Where(v => !v.Supported || v.InvalidCitations.Count > 0))
        {
            var why = v.InvalidCitations.Count > 0
                ? $"cites missing source(s) {string.Join(", ", v.InvalidCitations.Select(n => $"[{n}]"))}"
                : $"not supported by its source (support {v.Support:P0})";
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(why)}: {Markup.Escape(v.Sentence)}");
        }
    }
}
