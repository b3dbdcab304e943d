using System.CommandLine;
using Hanlin.Cli.Output;
using Hanlin.Training.Jobs;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin finetune export</c>: the fine-tuning job as a PyTorch + PEFT recipe (script, options, datasets, run.sh and
/// a Kubernetes Job manifest) for GPU machines; the adapter it trains loads back into Hanlin.
/// </summary>
internal static class FinetuneExportCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<string>("--model") { Description = "Path of the base model (a Hugging Face folder) on the GPU machine.", Required = true };
        var data = new Option<string>("--data") { Description = "The training dataset (chat, alpaca, sharegpt JSONL or plain text).", Required = true };
        var validation = new Option<string?>("--validation") { Description = "A validation dataset." };
        var config = new Option<string?>("--config") { Description = "Job options, YAML or JSON (lora, learning_rate, epochs, stages…); defaults otherwise." };
        var output = new Option<string>("--out", "-o") { Description = "Folder to write the recipe to (new or empty).", Required = true };
        var image = new Option<string?>("--image") { Description = "Container image with PyTorch, transformers and peft, for the Kubernetes Job." };
        var gpus = new Option<int>("--gpus") { Description = "GPUs per node (one torchrun process each).", DefaultValueFactory = _ => 1 };
        var jobName = new Option<string>("--job-name") { Description = "Kubernetes Job name.", DefaultValueFactory = _ => "hanlin-finetune" };
        var claim = new Option<string>("--claim") { Description = "PersistentVolumeClaim holding the recipe and the base model.", DefaultValueFactory = _ => "hanlin-finetune" };
        var ns = new Option<string?>("--namespace") { Description = "Kubernetes namespace." };
        var command = new Command("export", "Write the job as a PyTorch + PEFT training recipe and a Kubernetes Job manifest for GPU nodes.")
        {
            model, data, validation, config, output, image, gpus, jobName, claim, ns,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var optionsJson = parseResult.GetValue(config) is { } file
                ? await JobConfigFile.ReadAsJsonAsync(file, cancellationToken).ConfigureAwait(false)
                : "{}";
            var request = new FineTuneRecipeRequest
            {
                OptionsJson = optionsJson,
                TrainingFile = parseResult.GetValue(data)!,
                ValidationFile = parseResult.GetValue(validation),
                BaseModelPath = parseResult.GetValue(model)!,
                OutputDirectory = parseResult.GetValue(output)!,
                GpusPerNode = parseResult.GetValue(gpus),
                JobName = parseResult.GetValue(jobName)!,
                VolumeClaim = parseResult.GetValue(claim)!,
                Namespace = parseResult.GetValue(ns),
            };
            if (parseResult.GetValue(image) is { } customImage)
            {
                request = request with { Image = customImage };
            }

            var folder = await FineTuneRecipeExporter.ExportAsync(request, cancellationToken).ConfigureAwait(false);
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
            if (context.Json)
            {
                JsonOutput.Write(console, new { folder, files });
                return ExitCodes.Success;
            }

            console.MarkupLine($"Recipe written to [bold]{Markup.Escape(folder)}[/]: {Markup.Escape(string.Join(", ", files))}.");
            console.MarkupLine("Run it with [bold]./run.sh[/] on a GPU machine, or [bold]kubectl apply -f k8s-job.yaml[/].");
            return ExitCodes.Success;
        });
        return command;
    }
}
