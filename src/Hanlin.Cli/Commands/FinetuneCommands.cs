using System.CommandLine;
using System.Globalization;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Training.Datasets;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin finetune dataset validate|stats|split</c>: training datasets checked, measured and split before a run.
/// Their <c>--data FILE</c> names the dataset; it shadows the global <c>--data</c> (data directory), which these
/// commands do not use.
/// </summary>
internal static class FinetuneCommands
{
    public static Command Create(IAnsiConsole console)
    {
        var dataset = new Command("dataset", "Validate, measure and split training datasets (chat, alpaca, sharegpt JSONL or plain text), or build one from a collection with --from-collection.");
        dataset.Subcommands.Add(ValidateCommand(console));
        dataset.Subcommands.Add(StatsCommand(console));
        dataset.Subcommands.Add(SplitCommand(console));
        FinetuneDatasetFromCollection.AddTo(dataset, console);
        var command = new Command("finetune", "Fine-tuning: datasets, LoRA training runs and GPU recipes.");
        command.Subcommands.Add(dataset);
        command.Subcommands.Add(FinetuneRunCommand.Create(console));
        command.Subcommands.Add(FinetuneSearchCommand.Create(console));
        command.Subcommands.Add(FinetuneExportCommand.Create(console));
        return command;
    }

    private static Command ValidateCommand(IAnsiConsole console)
    {
        var options = new DatasetOptions();
        var command = new Command("validate", "Check every line; report each bad line with its number and reason. Exit 1 when some lines are bad, 3 when refused (--strict or no valid line).");
        options.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var dataset = await DatasetReader.ReadAsync(options.File(parseResult), options.ReadOptions(parseResult), cancellationToken).ConfigureAwait(false);
            var exit = dataset.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.PartialFailure;
            if (context.Json)
            {
                JsonOutput.Write(console, new
                {
                    file = dataset.Path,
                    format = dataset.Format,
                    lines = dataset.LinesRead,
                    examples = dataset.Examples.Count,
                    refusedLines = dataset.RefusedLines,
                    problems = dataset.Problems.Select(TrainingViews.Of),
                });
                return exit;
            }

            RenderProblems(console, dataset.Problems);
            console.MarkupLine(
                $"[bold]{Markup.Escape(dataset.Path)}[/]: {Name(dataset.Format)}, {dataset.LinesRead:N0} lines, {dataset.Examples.Count:N0} valid examples, " +
                $"{(dataset.RefusedLines == 0 ? "[green]no bad line[/]" : $"[yellow]{dataset.RefusedLines:N0} bad line(s)[/]")}.");
            return exit;
        });
        return command;
    }

    private static Command StatsCommand(IAnsiConsole console)
    {
        var options = new DatasetOptions();
        var command = new Command("stats", "Token statistics of the valid examples (cl100k_base tokens until the model's tokenizer is used), and what cleaning would remove.");
        options.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var dataset = await DatasetReader.ReadAsync(options.File(parseResult), options.ReadOptions(parseResult), cancellationToken).ConfigureAwait(false);
            var stats = TokenStatistics.Compute(dataset.Examples);
            var cleaning = DatasetCleaner.Clean(dataset.Examples, options.CleaningOptions(parseResult));
            if (context.Json)
            {
                JsonOutput.Write(console, new
                {
                    file = dataset.Path,
                    format = dataset.Format,
                    examples = dataset.Examples.Count,
                    refusedLines = dataset.RefusedLines,
                    tokens = TrainingViews.Of(stats),
                    cleaning = new { kept = cleaning.Kept.Count, removed = cleaning.CountsByReason() },
                });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Examples", "Total tokens", "Mean", "Median", "P95", "Min", "Max");
            table.AddRow(stats.Examples.ToString("N0", CultureInfo.InvariantCulture), stats.TotalTokens.ToString("N0", CultureInfo.InvariantCulture), stats.Mean.ToString("F1", CultureInfo.InvariantCulture),
                stats.Median.ToString("F1", CultureInfo.InvariantCulture), stats.P95.ToString(CultureInfo.InvariantCulture), stats.Min.ToString(CultureInfo.InvariantCulture), stats.Max.ToString(CultureInfo.InvariantCulture));
            console.Write(table);
            console.MarkupLine($"{Name(dataset.Format)}; {dataset.RefusedLines:N0} bad line(s) left out; cleaning would remove {Describe(cleaning)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command SplitCommand(IAnsiConsole console)
    {
        var options = new DatasetOptions();
        var output = new Option<string?>("--out", "-o") { Description = "Folder for train/validation/test files (default: <file>.split beside the dataset)." };
        var ratios = new Option<string>("--ratios") { Description = "Train,validation,test ratios.", DefaultValueFactory = _ => "0.8,0.1,0.1" };
        var salt = new Option<string>("--salt") { Description = "Salt of the hash split; another salt gives another split.", DefaultValueFactory = _ => DatasetSplitter.DefaultSalt };
        var noClean = new Option<bool>("--no-clean") { Description = "Keep duplicates and empty turns (cleaning is on by default)." };
        var command = new Command("split", "Clean (duplicates, empty turns) and split deterministically by content hash into train/validation/test files.") { output, ratios, salt, noClean };
        options.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var file = options.File(parseResult);
            var split = ParseRatios(parseResult.GetValue(ratios)!);
            var dataset = await DatasetReader.ReadAsync(file, options.ReadOptions(parseResult), cancellationToken).ConfigureAwait(false);
            var cleaning = parseResult.GetValue(noClean)
                ? new CleaningReport(dataset.Examples, [])
                : DatasetCleaner.Clean(dataset.Examples, options.CleaningOptions(parseResult));
            var parts = DatasetSplitter.Split(cleaning.Kept, split, parseResult.GetValue(salt)!);
            var folder = Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, Path.GetFileNameWithoutExtension(file) + ".split"));
            var extension = DatasetWriter.ExtensionFor(cleaning.Kept);
            var written = new List<(string Part, string Path, int Count)>();
            foreach (var (part, examples) in new[] { ("train", parts.Train), ("validation", parts.Validation), ("test", parts.Test) })
            {
                var path = Path.Combine(folder, part + extension);
                await DatasetWriter.WriteAsync(path, examples, cancellationToken).ConfigureAwait(false);
                written.Add((part, path, examples.Count));
            }

            if (context.Json)
            {
                JsonOutput.Write(console, new
                {
                    file = dataset.Path,
                    format = dataset.Format,
                    refusedLines = dataset.RefusedLines,
                    cleaning = new { kept = cleaning.Kept.Count, removed = cleaning.Removed.Select(TrainingViews.Of) },
                    parts = written.Select(w => new { part = w.Part, path = w.Path, examples = w.Count }),
                });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Part", "Examples", "File");
            foreach (var w in written)
            {
                table.AddRow(w.Part, w.Count.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(w.Path));
            }

            console.Write(table);
            console.MarkupLine($"{dataset.RefusedLines:N0} bad line(s) left out; cleaning removed {Describe(cleaning)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static SplitRatios ParseRatios(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[3];
        if (parts.Length != 3 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"--ratios must be three numbers 'train,validation,test' such as 0.8,0.1,0.1; got '{text}'.");
        }

        return new SplitRatios(values[0], values[1], values[2]);
    }

    private static void RenderProblems(IAnsiConsole console, IReadOnlyList<DatasetProblem> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Line", "Problem", "Detail");
        foreach (var p in problems)
        {
            table.AddRow(p.LineNumber.ToString(CultureInfo.InvariantCulture), Name(p.Kind), Markup.Escape(p.Message));
        }

        console.Write(table);
    }

    private static string Describe(CleaningReport cleaning)
    {
        var counts = cleaning.CountsByReason().Where(c => c.Value > 0).Select(c => $"{c.Value:N0} {Name(c.Key).Replace('_', ' ')}").ToList();
        return counts.Count == 0 ? "nothing" : string.Join(", ", counts);
    }

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>The options every dataset command takes; one instance per command.</summary>
    private sealed class DatasetOptions
    {
        private readonly Option<string> _file = new("--data") { Description = "The dataset file (JSONL or plain text).", Required = true };
        private readonly Option<DatasetFormat> _format = new("--format") { Description = "auto, chat, alpaca, sharegpt or text.", DefaultValueFactory = _ => DatasetFormat.Auto };
        private readonly Option<bool> _strict = new("--strict") { Description = "Refuse the whole dataset if any line is bad." };
        private readonly Option<TextDocumentSplit> _textSplit = new("--text-split") { Description = "Plain text: blanklines (a blank line ends a document) or lines (one document per line).", DefaultValueFactory = _ => TextDocumentSplit.BlankLines };
        private readonly Option<int?> _maxChars = new("--max-turn-chars") { Description = "Refuse turns longer than this many characters." };
        private readonly Option<int?> _maxTokens = new("--max-turn-tokens") { Description = "Refuse turns longer than this many tokens." };

        public void AddTo(Command command)
        {
            command.Options.Add(_file);
            command.Options.Add(_format);
            command.Options.Add(_strict);
            command.Options.Add(_textSplit);
            command.Options.Add(_maxChars);
            command.Options.Add(_maxTokens);
        }

        public string File(ParseResult parseResult) => parseResult.GetValue(_file)!;

        public DatasetReadOptions ReadOptions(ParseResult parseResult) => new()
        {
            Format = parseResult.GetValue(_format),
            Strict = parseResult.GetValue(_strict),
            TextSplit = parseResult.GetValue(_textSplit),
            MaxTurnCharacters = Positive(parseResult.GetValue(_maxChars), "--max-turn-chars"),
            MaxTurnTokens = Positive(parseResult.GetValue(_maxTokens), "--max-turn-tokens"),
        };

        public CleaningOptions CleaningOptions(ParseResult parseResult) => new()
        {
            MaxTurnCharacters = Positive(parseResult.GetValue(_maxChars), "--max-turn-chars"),
            MaxTurnTokens = Positive(parseResult.GetValue(_maxTokens), "--max-turn-tokens"),
        };

        private static int? Positive(int? value, string name) => value is <= 0
            ? throw new HanlinException(ErrorCodes.InvalidArgument, $"{name} must be a positive number; got {value}.")
            : value;
    }
}
