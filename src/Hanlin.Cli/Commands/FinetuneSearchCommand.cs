using System.CommandLine;
using System.Globalization;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Training.Datasets;
using Hanlin.Training.Jobs;
using Hanlin.Training.Search;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin finetune search</c>: grid, random or TPE search over learning rate (log scale), LoRA rank and alpha and
/// epochs, each trial a full LoRA run scored by its best validation loss; all trials are recorded and the best adapter
/// is kept. Re-running the same command resumes: finished trials are skipped and an interrupted one continues from its
/// checkpoint.
/// </summary>
internal static class FinetuneSearchCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<string>("--model") { Description = "Base model (Hugging Face folder, GGUF or llama2.c checkpoint).", Required = true };
        var data = new Option<string>("--data") { Description = "Training dataset.", Required = true };
        var validation = new Option<string>("--validation") { Description = "Validation dataset (trials are scored by their best validation loss).", Required = true };
        var config = new Option<string?>("--config") { Description = "Base job options, YAML or JSON (eval_interval, patience, batch_size, lora.target_modules…)." };
        var output = new Option<string>("--out", "-o") { Description = "Search folder: trials.json, one run folder per trial, best/ (the best adapter).", Required = true };
        var strategy = new Option<SearchStrategy>("--strategy") { Description = "grid, random or tpe.", DefaultValueFactory = _ => SearchStrategy.Random };
        var trials = new Option<int>("--trials") { Description = "Most trials (a grid stops at its size).", DefaultValueFactory = _ => 8 };
        var lrMin = new Option<double>("--lr-min") { Description = "Smallest learning rate.", DefaultValueFactory = _ => 1e-4 };
        var lrMax = new Option<double>("--lr-max") { Description = "Largest learning rate.", DefaultValueFactory = _ => 1e-3 };
        var lrSteps = new Option<int>("--lr-steps") { Description = "Grid: learning rates, evenly spaced on a log scale.", DefaultValueFactory = _ => 3 };
        var ranks = new Option<string>("--ranks") { Description = "LoRA ranks, comma-separated.", DefaultValueFactory = _ => "8" };
        var alphas = new Option<string>("--alphas") { Description = "LoRA alphas, comma-separated.", DefaultValueFactory = _ => "16" };
        var epochs = new Option<string>("--epochs") { Description = "Epochs, comma-separated.", DefaultValueFactory = _ => "1" };
        var patience = new Option<int?>("--patience") { Description = "Stop the search after this many trials without a better one." };
        var seed = new Option<int>("--seed") { Description = "Seed of the search (random and TPE sampling).", DefaultValueFactory = _ => 0 };
        var command = new Command("search", "Hyperparameter search (grid, random, TPE) over learning rate, rank, alpha and epochs; keeps the best adapter.")
        {
            model, data, validation, config, output, strategy, trials, lrMin, lrMax, lrSteps, ranks, alphas, epochs, patience, seed,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var baseOptions = FineTuneJobOptions.Parse(parseResult.GetValue(config) is { } file
                ? await JobConfigFile.ReadAsJsonAsync(file, cancellationToken).ConfigureAwait(false)
                : "{}");
            var train = await DatasetReader.ReadAsync(parseResult.GetValue(data)!, cancellationToken: cancellationToken).ConfigureAwait(false);
            var valid = await DatasetReader.ReadAsync(parseResult.GetValue(validation)!, cancellationToken: cancellationToken).ConfigureAwait(false);
            var space = new SearchSpace
            {
                LearningRateMin = parseResult.GetValue(lrMin),
                LearningRateMax = parseResult.GetValue(lrMax),
                LearningRateSteps = parseResult.GetValue(lrSteps),
                Ranks = List(parseResult.GetValue(ranks)!, "--ranks", s => int.Parse(s, CultureInfo.InvariantCulture)),
                Alphas = List(parseResult.GetValue(alphas)!, "--alphas", s => double.Parse(s, CultureInfo.InvariantCulture)),
                Epochs = List(parseResult.GetValue(epochs)!, "--epochs", s => int.Parse(s, CultureInfo.InvariantCulture)),
            };
            var folder = Path.GetFullPath(parseResult.GetValue(output)!);
            var modelPath = parseResult.GetValue(model)!;
            if (!context.Json)
            {
                console.MarkupLine($"Searching with [bold]{parseResult.GetValue(strategy)}[/] over {Markup.Escape(folder)}…");
            }

            var outcome = await FineTuneSearch.RunAsync(
                modelPath, baseOptions, new SplitResult(train.Examples, valid.Examples, []), space,
                new SearchOptions { Strategy = parseResult.GetValue(strategy), MaxTrials = parseResult.GetValue(trials), Seed = parseResult.GetValue(seed), Patience = parseResult.GetValue(patience) },
                folder, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, new
                {
                    folder,
                    best = outcome.Best,
                    best_adapter = outcome.Best is null ? null : Path.Combine(folder, FineTuneSearch.BestDirectoryName),
                    trials = outcome.Trials,
                    stopped_early = outcome.StoppedEarly,
                });
                return outcome.Best is null ? ExitCodes.Failure : ExitCodes.Success;
            }

            var table = new Table().AddColumns("#", "Parameters", "Status", "Validation loss", "Seconds");
            foreach (var trial in outcome.Trials)
            {
                table.AddRow(
                    trial.Number.ToString(CultureInfo.InvariantCulture), Markup.Escape(trial.Parameters.ToString()), trial.Status.ToString(),
                    trial.Metric?.ToString("F4", CultureInfo.InvariantCulture) ?? Markup.Escape(trial.Error ?? "-"), trial.DurationSeconds.ToString("F1", CultureInfo.InvariantCulture));
            }

            console.Write(table);
            console.MarkupLine(outcome.Best is null
                ? "[red]No trial succeeded.[/]"
                : $"Best: [bold]{Markup.Escape(outcome.Best.Parameters.ToString())}[/], validation loss {outcome.Best.Metric:F4}; adapter in {Markup.Escape(Path.Combine(folder, FineTuneSearch.BestDirectoryName))}.");
            return outcome.Best is null ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static IReadOnlyList<T> List<T>(string text, string name, Func<string, T> parse)
    {
        try
        {
            return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse)];
        }
        catch (FormatException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"{name} must be a comma-separated list of numbers, not '{text}'.", ex);
        }
    }
}
