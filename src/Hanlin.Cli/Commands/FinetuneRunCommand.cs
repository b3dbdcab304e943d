using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Storage;
using Hanlin.Training.Jobs;
using Hanlin.Training.Registry;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin finetune run</c>: a LoRA fine-tuning job run in this process with a progress bar, in the same job store as
/// the server's <c>/v1/fine_tuning/jobs</c> (so the job, its events, checkpoints and model are visible there too). Run
/// again with <c>--resume JOB</c> after an interruption to continue from the last checkpoint.
/// </summary>
internal static class FinetuneRunCommand
{
    private const long MaxDatasetBytes = 1L << 30;

    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<string?>("--model") { Description = "Base model: a registered name or id, or a Hugging Face model folder." };
        var data = new Option<string?>("--data") { Description = "Training dataset (chat, alpaca, sharegpt JSONL or plain text)." };
        var validation = new Option<string?>("--validation") { Description = "Validation dataset (evaluated every eval_interval steps; early stopping)." };
        var config = new Option<string?>("--config") { Description = "Job options, YAML or JSON (lora, learning_rate, epochs, stages…)." };
        var suffix = new Option<string?>("--suffix") { Description = "Added to the fine-tuned model's name (letters, digits, '-', '_')." };
        var seed = new Option<long?>("--seed") { Description = "Seed of the run (data order, initialisation, dropout)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the interrupted job with this id from its last checkpoint." };
        var dataDirectory = new Option<string?>("--data-dir") { Description = "Hanlin's data directory (default: HANLIN_DATA, else ~/.hanlin)." };
        var command = new Command("run", "Fine-tune a LoRA adapter now, with progress; the job and the model are recorded like server jobs.")
        {
            model, data, validation, config, suffix, seed, resume, dataDirectory,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var root = HanlinDataDirectory.Open(parseResult.GetValue(dataDirectory)).Root;
            var store = FineTuneStore.ForDataDirectory(root);
            var job = parseResult.GetValue(resume) is { } jobId
                ? await store.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false)
                : await CreateAsync(store, parseResult, model, data, validation, config, suffix, seed, cancellationToken).ConfigureAwait(false);
            if (job.Status == FineTuneJobStatus.Running)
            {
                // A resumed job that a killed process left running: nothing else runs it now, so it is queued again.
                await store.RecoverInterruptedJobsAsync(cancellationToken).ConfigureAwait(false);
            }

            var runner = new FineTuneJobRunner(store, new LoraFineTuneExecutor(ModelRegistry.ForDataDirectory(root)));
            var finished = context.Interactive
                ? await RunWithProgressAsync(context.Console, store, runner, job.Id, cancellationToken).ConfigureAwait(false)
                : await runner.RunJobAsync(job.Id, cancellationToken).ConfigureAwait(false);
            return Render(context, finished);
        });
        return command;
    }

    private static async Task<FineTuneJob> CreateAsync(
        FineTuneStore store, ParseResult parseResult, Option<string?> model, Option<string?> data, Option<string?> validation,
        Option<string?> config, Option<string?> suffix, Option<long?> seed, CancellationToken cancellationToken)
    {
        var baseModel = parseResult.GetValue(model) ?? throw new HanlinException(ErrorCodes.InvalidArgument, "--model is required (or --resume JOB).");
        var training = parseResult.GetValue(data) ?? throw new HanlinException(ErrorCodes.InvalidArgument, "--data is required (or --resume JOB).");
        var hyperparameters = parseResult.GetValue(config) is { } file
            ? await JobConfigFile.ReadAsJsonAsync(file, cancellationToken).ConfigureAwait(false)
            : "{}";
        FineTuneJobOptions.Parse(hyperparameters); // refuse bad options before anything is stored
        var trainingFile = await UploadAsync(store, training, cancellationToken).ConfigureAwait(false);
        var validationFile = parseResult.GetValue(validation) is { } v ? await UploadAsync(store, v, cancellationToken).ConfigureAwait(false) : null;
        return await store.CreateJobAsync(
            new FineTuneJobRequest(baseModel, trainingFile.Id, validationFile?.Id, parseResult.GetValue(suffix), parseResult.GetValue(seed), hyperparameters),
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<FineTuneFile> UploadAsync(FineTuneStore store, string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The dataset file '{path}' does not exist.");
        }

        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await store.AddFileAsync(stream, Path.GetFileName(path), FineTuneStore.FineTunePurpose, MaxDatasetBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    // The bar follows the job's own metrics events, so what is shown is what the store (and the HTTP API) records.
    private static async Task<FineTuneJob> RunWithProgressAsync(IAnsiConsole console, FineTuneStore store, FineTuneJobRunner runner, string jobId, CancellationToken cancellationToken)
    {
        FineTuneJob? finished = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("Validating files");
                var run = runner.RunJobAsync(jobId, cancellationToken);
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(250, cancellationToken)).ConfigureAwait(false);
                    var latest = (await store.ListEventsAsync(jobId, limit: 20, cancellationToken: cancellationToken).ConfigureAwait(false)).Items
                        .FirstOrDefault(e => e.Type == "metrics");
                    if (latest?.DataJson is { } json)
                    {
                        Update(task, json);
                    }
                }

                finished = await run.ConfigureAwait(false);
                if (finished.Status == FineTuneJobStatus.Succeeded)
                {
                    task.Value = task.MaxValue;
                }
            }).ConfigureAwait(false);
        return finished!;
    }

    private static void Update(ProgressTask task, string json)
    {
        using var document = JsonDocument.Parse(json);
        var data = document.RootElement;
        double? Read(string name) => data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
        if (Read("total_steps") is { } total)
        {
            task.MaxValue = Math.Max(1, total);
        }

        var step = Read("step") ?? 0;
        task.Value = Math.Min(step, task.MaxValue);
        var loss = Read("train_loss") is { } l ? string.Create(CultureInfo.InvariantCulture, $" loss {l:0.0000}") : string.Empty;
        var speed = Read("tokens_per_second") is { } t ? string.Create(CultureInfo.InvariantCulture, $" {t:N0} tok/s") : string.Empty;
        task.Description = $"step {step:N0}{loss}{speed}";
    }

    private static int Render(CliContext context, FineTuneJob job)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Console, new
            {
                id = job.Id,
                status = FineTuneStore.StatusName(job.Status),
                fine_tuned_model = job.FineTunedModel,
                trained_tokens = job.TrainedTokens,
                error = job.ErrorCode is null ? null : new { code = job.ErrorCode, message = job.ErrorMessage },
            });
        }
        else if (job.Status == FineTuneJobStatus.Succeeded)
        {
            context.Console.MarkupLine($"[green]Job {job.Id} succeeded[/]: model [bold]{Markup.Escape(job.FineTunedModel ?? string.Empty)}[/], {job.TrainedTokens:N0} tokens trained.");
        }
        else
        {
            context.Console.MarkupLine($"[red]Job {job.Id} {FineTuneStore.StatusName(job.Status)}[/]: {Markup.Escape(job.ErrorMessage ?? "see its events")}.");
        }

        return job.Status switch
        {
            FineTuneJobStatus.Succeeded => ExitCodes.Success,
            FineTuneJobStatus.Cancelled => ExitCodes.Cancelled,
            _ => ExitCodes.Failure,
        };
    }
}
