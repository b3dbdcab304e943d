using System.CommandLine;
using Hanlin.Cli.Composition;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Models.Chat;
using Hanlin.Rag.Models;
using Hanlin.Training.Datasets;
using Hanlin.Training.Synthesis;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin finetune dataset --from-collection NAME [--teacher MODEL] [--synonyms FILE] [--back-translate] [--out FILE]</c>:
/// question/answer chat pairs built from a knowledge-base collection (extractive without a teacher, distilled with one).
/// </summary>
internal static class FinetuneDatasetFromCollection
{
    public static void AddTo(Command dataset, IAnsiConsole console)
    {
        var collection = new Option<string?>("--from-collection") { Description = "Build question/answer pairs from this collection (name or id)." };
        var teacher = new Option<string?>("--teacher") { Description = "Teacher chat model: a configured model name, or a local model path; without one, pairs are extractive." };
        var teacherTokenizer = new Option<string?>("--teacher-tokenizer") { Description = "Tokenizer of a local llama2.c teacher (default: tokenizer.bin beside it)." };
        var synonyms = new Option<string?>("--synonyms") { Description = "Domain synonym dictionary (term<TAB>synonym1,synonym2 per line) for question augmentation." };
        var backTranslate = new Option<bool>("--back-translate") { Description = "Paraphrase questions by translating them through the teacher and back." };
        var pivot = new Option<string>("--pivot") { Description = "Language of the back-translation pivot.", DefaultValueFactory = _ => "English" };
        var questions = new Option<int>("--questions-per-passage") { Description = "With a teacher: questions per passage.", DefaultValueFactory = _ => 2 };
        var maxPassages = new Option<int?>("--max-passages") { Description = "Read at most this many passages." };
        var output = new Option<string?>("--out", "-o") { Description = "Output chat JSONL file (default: <collection>.qa.jsonl in the current folder)." };
        foreach (var option in new Option[] { collection, teacher, teacherTokenizer, synonyms, backTranslate, pivot, questions, maxPassages, output })
        {
            dataset.Options.Add(option);
        }

        dataset.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var name = parseResult.GetValue(collection)
                ?? throw new HanlinException(ErrorCodes.InvalidArgument, "Give a subcommand (validate, stats, split) or --from-collection NAME.");
            var perPassage = parseResult.GetValue(questions);
            if (perPassage is < 1 or > 20)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"--questions-per-passage must be between 1 and 20, not {perPassage}.");
            }

            var options = new KnowledgeDatasetOptions
            {
                QuestionsPerPassage = perPassage,
                MaxPassages = parseResult.GetValue(maxPassages) is { } max and < 1 ? throw new HanlinException(ErrorCodes.InvalidArgument, $"--max-passages must be positive, not {max}.") : parseResult.GetValue(maxPassages),
                Synonyms = parseResult.GetValue(synonyms) is { } file ? await SynonymDictionary.LoadAsync(file, cancellationToken).ConfigureAwait(false) : null,
                BackTranslate = parseResult.GetValue(backTranslate),
                PivotLanguage = parseResult.GetValue(pivot)!,
            };
            await using var session = await CliSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
            using var local = await LoadLocalTeacherAsync(parseResult.GetValue(teacher), parseResult.GetValue(teacherTokenizer), cancellationToken).ConfigureAwait(false);
            using var localClient = local is null ? null : new LocalChatClient(local);
            var client = (IChatClient?)localClient ?? ResolveConfigured(session, parseResult.GetValue(teacher));
            var result = await new KnowledgeDatasetBuilder(session.Store, client).BuildAsync(name, options, cancellationToken).ConfigureAwait(false);
            var path = Path.GetFullPath(parseResult.GetValue(output) ?? $"{name}.qa.jsonl");
            await DatasetWriter.WriteAsync(path, result.Examples, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, new
                {
                    collection = name,
                    teacher = parseResult.GetValue(teacher),
                    file = path,
                    passages = result.Passages,
                    skippedPassages = result.SkippedPassages,
                    pairs = result.Pairs.Count,
                    byOrigin = result.CountsByOrigin(),
                });
                return ExitCodes.Success;
            }

            var counts = string.Join(", ", result.CountsByOrigin().Where(c => c.Value > 0).Select(c => $"{c.Value:N0} {c.Key.ToString().ToLowerInvariant()}"));
            console.MarkupLine($"{result.Pairs.Count:N0} pairs ({Markup.Escape(counts)}) from {result.Passages:N0} passages ({result.SkippedPassages:N0} skipped) written to [bold]{Markup.Escape(path)}[/].");
            return ExitCodes.Success;
        });
    }

    // A teacher that names an existing file or folder is a local model; anything else a configured model name.
    private static async Task<LocalChatModel?> LoadLocalTeacherAsync(string? teacher, string? tokenizer, CancellationToken cancellationToken) =>
        teacher is not null && (File.Exists(teacher) || Directory.Exists(teacher))
            ? await ModelCommands.LoadChatModelAsync(teacher, tokenizer, "fp32", cancellationToken).ConfigureAwait(false)
            : null;

    private static IChatClient? ResolveConfigured(CliSession session, string? teacher)
    {
        if (teacher is null)
        {
            return null;
        }

        return session.Get<ChatModelCatalog>().Resolve(teacher)
            ?? throw new HanlinException(ErrorCodes.UnsupportedModel, $"Teacher '{teacher}' is the extractive answerer, not a model that can write questions; name a chat model or omit --teacher.");
    }
}
