using System.CommandLine;
using System.Globalization;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Training.Datasets;
using Hanlin.Training.Evaluation;
using Hanlin.Training.Reports;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin eval model --model PATH [--adapter DIR] --data FILE [--max-examples N] [--report DIR] [--run DIR]</c>:
/// perplexity and token accuracy of a local model on a training-format dataset, and the quality of its generated
/// answers; optionally a JSON + HTML report with a training run's loss curves.
/// </summary>
internal static class EvalModelCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = ModelCommands.ModelOption();
        var tokenizer = ModelCommands.TokenizerOption();
        var dtype = ModelCommands.DTypeOption();
        var adapter = new Option<string?>("--adapter") { Description = "A LoRA adapter directory (PEFT format) applied to the model." };
        var data = new Option<string>("--data") { Description = "The dataset: chat, alpaca, sharegpt JSONL or plain text.", Required = true };
        var format = new Option<DatasetFormat>("--format") { Description = "auto, chat, alpaca, sharegpt or text.", DefaultValueFactory = _ => DatasetFormat.Auto };
        var maxExamples = new Option<int?>("--max-examples") { Description = "Evaluate only the first N examples." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens generated per answer (greedy).", DefaultValueFactory = _ => 64 };
        var noGenerate = new Option<bool>("--no-generate") { Description = "Only teacher-forced metrics (perplexity, token accuracy); no answers generated." };
        var report = new Option<string?>("--report") { Description = "Folder to write report.json and report.html into." };
        var run = new Option<string?>("--run") { Description = "A training run folder (or its metrics.jsonl) whose loss curves the report draws." };
        var command = new Command("model", "Perplexity, token accuracy, BLEU-4, ROUGE-1/2/L, exact match and F1 of a local model on a dataset.")
        {
            model, tokenizer, dtype, adapter, data, format, maxExamples, maxNewTokens, noGenerate, report, run,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var limit = parseResult.GetValue(maxExamples);
            if (limit is < 1)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"--max-examples must be positive, not {limit}.");
            }

            var newTokens = parseResult.GetValue(maxNewTokens);
            if (newTokens is < 1 or > 4096)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"--max-new-tokens must be between 1 and 4096, not {newTokens}.");
            }

            var dataset = await DatasetReader.ReadAsync(parseResult.GetValue(data)!, new DatasetReadOptions { Format = parseResult.GetValue(format) }, cancellationToken).ConfigureAwait(false);
            var runPath = parseResult.GetValue(run);
            var curve = runPath is null ? [] : await TrainingMetricsLog.ReadAsync(runPath, cancellationToken).ConfigureAwait(false);
            var modelPath = parseResult.GetValue(model)!;
            var adapterPath = parseResult.GetValue(adapter);
            using var chat = await ModelCommands.LoadChatModelAsync(modelPath, parseResult.GetValue(tokenizer), parseResult.GetValue(dtype)!, cancellationToken).ConfigureAwait(false);
            using var attached = ModelAdapters.Attach(chat, adapterPath);
            var options = new ModelEvaluationOptions { MaxExamples = limit, MaxNewTokens = newTokens, Generate = !parseResult.GetValue(noGenerate) };
            var result = await Task.Run(() => ModelEvaluator.Evaluate(chat, dataset.Examples, options, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
            var evaluation = new EvaluationReport(modelPath, adapterPath, dataset.Path, dataset.Format, DateTimeOffset.UtcNow, result, curve);
            var files = parseResult.GetValue(report) is { } folder
                ? await EvaluationReportWriter.WriteAsync(evaluation, Path.GetFullPath(folder), cancellationToken).ConfigureAwait(false)
                : null;
            if (context.Json)
            {
                JsonOutput.Write(console, new
                {
                    model = modelPath,
                    adapter = adapterPath,
                    dataset = dataset.Path,
                    format = dataset.Format,
                    refusedLines = dataset.RefusedLines,
                    result,
                    trainingRecords = curve.Count,
                    report = files,
                });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Metric", "Value");
            table.AddRow("Examples", I(result.Examples));
            table.AddRow("Target tokens", I(result.TargetTokens));
            table.AddRow("Mean loss (nats/token)", F(result.MeanLoss));
            table.AddRow("Perplexity", F(result.Perplexity));
            table.AddRow("Token accuracy", F(result.TokenAccuracy));
            if (result.Generation is { } g)
            {
                table.AddRow("Generated answers", I(g.Answers));
                table.AddRow("BLEU-4 (0-100)", F(g.Bleu4));
                table.AddRow("ROUGE-1 / 2 / L", $"{F(g.Rouge1)} / {F(g.Rouge2)} / {F(g.RougeL)}");
                table.AddRow("Exact match / F1", $"{F(g.ExactMatch)} / {F(g.F1)}");
            }

            console.MarkupLine($"[bold]{Markup.Escape(chat.Name)}[/] on {Markup.Escape(dataset.Path)} ({dataset.RefusedLines:N0} bad line(s) left out, {result.TruncatedExamples:N0} example(s) cut to the context)");
            console.Write(table);
            if (files is not null)
            {
                console.MarkupLine($"Report: {Markup.Escape(files.HtmlPath)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string I(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
