using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hanlin.Core.Errors;

namespace Hanlin.Training.Jobs;

/// <summary>
/// Writes a fine-tuning job as a recipe for GPU machines (<c>hanlin finetune export</c>): <c>train.py</c> (PyTorch +
/// PEFT, the same LoRA, data rendering and assistant-only loss as Hanlin's own trainer), <c>config.json</c> (the job's
/// options), <c>data/</c> (the datasets), <c>run.sh</c> (torchrun on one machine) and <c>k8s-job.yaml</c> (a Kubernetes
/// Job for a GPU node). The adapter the recipe saves is in the PEFT format, so Hanlin loads it back with
/// <c>--adapter</c>. The recipe is written to a temporary folder and renamed into place, so a failed export leaves
/// nothing half-written.
/// </summary>
public static partial class FineTuneRecipeExporter
{
    private const string ScriptResource = "Hanlin.Training.Recipe.train.py";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The files of a recipe, relative to its folder.</summary>
    public static readonly IReadOnlyList<string> Files = ["train.py", "config.json", "run.sh", "k8s-job.yaml", "README.md", "data/train.jsonl"];

    /// <summary>Writes the recipe; returns the folder.</summary>
    /// <exception cref="HanlinException">
    /// <c>invalid_argument</c> for options that are not a JSON object, a bad job name or GPU count, or an output folder
    /// that is not empty; <c>file_not_found</c> for a missing dataset.
    /// </exception>
    public static async Task<string> ExportAsync(FineTuneRecipeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var output = Path.GetFullPath(request.OutputDirectory);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The recipe folder '{output}' is not empty; choose a new folder.");
        }

        var staging = output.TrimEnd(Path.DirectorySeparatorChar) + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Directory.CreateDirectory(Path.Combine(staging, "data"));
            await WriteScriptAsync(Path.Combine(staging, "train.py"), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(staging, "config.json"), Indent(request.OptionsJson), cancellationToken).ConfigureAwait(false);
            File.Copy(request.TrainingFile, Path.Combine(staging, "data", "train.jsonl"));
            if (request.ValidationFile is { } validation)
            {
                File.Copy(validation, Path.Combine(staging, "data", "validation.jsonl"));
            }

            await File.WriteAllTextAsync(Path.Combine(staging, "run.sh"), RunScript(request), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(staging, "k8s-job.yaml"), Manifest(request), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(staging, "README.md"), Readme(request), cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(staging, "run.sh"), (UnixFileMode)0b111_101_101);
            }

            if (Directory.Exists(output))
            {
                Directory.Delete(output);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            Directory.Move(staging, output);
            return output;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.Internal, $"The recipe could not be written to '{output}': {ex.Message}", ex);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void Validate(FineTuneRecipeRequest request)
    {
        try
        {
            using var document = JsonDocument.Parse(request.OptionsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, "The fine-tuning options must be a JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The fine-tuning options are not valid JSON: {ex.Message}", ex);
        }

        if (!JobNamePattern().IsMatch(request.JobName))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"'{request.JobName}' is not a Kubernetes name: lowercase letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit.");
        }

        if (request.GpusPerNode is < 1 or > 64)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"GPUs per node must be between 1 and 64, not {request.GpusPerNode}.");
        }

        foreach (var file in new[] { request.TrainingFile, request.ValidationFile }.OfType<string>())
        {
            if (!File.Exists(file))
            {
                throw new HanlinException(ErrorCodes.FileNotFound, $"The dataset file '{file}' does not exist.");
            }
        }

        if (string.IsNullOrWhiteSpace(request.BaseModelPath) || request.BaseModelPath.Any(c => c is '"' or '\'' or '\n' or '$' or '`'))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"'{request.BaseModelPath}' is not a usable base model path for the recipe.");
        }
    }

    private static async Task WriteScriptAsync(string path, CancellationToken cancellationToken)
    {
        var resource = typeof(FineTuneRecipeExporter).Assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new HanlinException(ErrorCodes.Internal, $"The recipe script '{ScriptResource}' is missing from this build.");
        await using (resource.ConfigureAwait(false))
        {
            var target = File.Create(path);
            await using (target.ConfigureAwait(false))
            {
                await resource.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Indent(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, Indented) + "\n";
    }

    private static List<string> TrainArguments(FineTuneRecipeRequest request)
    {
        List<string> arguments = ["--config", "config.json", "--model", request.BaseModelPath, "--train", "data/train.jsonl"];
        if (request.ValidationFile is not null)
        {
            arguments.AddRange(["--validation", "data/validation.jsonl"]);
        }

        arguments.AddRange(["--output", "out"]);
        return arguments;
    }

    private static string RunScript(FineTuneRecipeRequest request) => string.Create(CultureInfo.InvariantCulture, $"""
        #!/usr/bin/env sh
        # Trains the exported job on this machine's GPUs (needs torch, transformers and peft). Usage: ./run.sh [GPUS]
        set -eu
        cd "$(dirname "$0")"
        torchrun --standalone --nproc_per_node="${"{"}1:-{request.GpusPerNode}{"}"}" train.py {string.Join(' ', TrainArguments(request).Select(a => "'" + a + "'"))}

        """);

    private static string Manifest(FineTuneRecipeRequest request)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"""
            # A Kubernetes Job that runs this recipe on one GPU node. The PersistentVolumeClaim '{request.VolumeClaim}' must
            # hold this folder at /workspace/recipe and the base model at the path given to the export.
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {request.JobName}

            """);
        if (request.Namespace is { } ns)
        {
            builder.Append(CultureInfo.InvariantCulture, $"  namespace: {ns}\n");
        }

        builder.Append(CultureInfo.InvariantCulture, $"""
              labels:
                app.kubernetes.io/managed-by: hanlin
            spec:
              backoffLimit: 0
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: train
                      image: {request.Image}
                      workingDir: /workspace/recipe
                      command: ["torchrun", "--standalone", "--nproc_per_node={request.GpusPerNode}", "train.py"]
                      args: [{string.Join(", ", TrainArguments(request).Select(a => JsonSerializer.Serialize(a)))}]
                      resources:
                        limits:
                          nvidia.com/gpu: {request.GpusPerNode}
                      volumeMounts:
                        - name: workspace
                          mountPath: /workspace
                        - name: shm
                          mountPath: /dev/shm
                  volumes:
                    - name: workspace
                      persistentVolumeClaim:
                        claimName: {request.VolumeClaim}
                    - name: shm
                      emptyDir:
                        medium: Memory

            """);
        return builder.ToString();
    }

    private static string Readme(FineTuneRecipeRequest request) => string.Create(CultureInfo.InvariantCulture, $"""
        # Hanlin fine-tuning recipe

        The same LoRA job as `hanlin finetune run`, for PyTorch + PEFT on GPU machines.

        - `train.py`: renders each example with the base model's chat template, trains LoRA with the loss on assistant
          tokens only, and saves the adapter in the PEFT format to `out/adapter` (and `out/metrics.jsonl`).
        - `config.json`: the job's options; `data/`: its datasets.
        - `run.sh [GPUS]`: `torchrun` on this machine ({request.GpusPerNode} GPU(s) by default).
        - `k8s-job.yaml`: a Kubernetes Job for one node with {request.GpusPerNode} GPU(s) (image `{request.Image}`; it needs
          `transformers` and `peft`), reading this folder and the base model from the claim `{request.VolumeClaim}`.

        Base model on the GPU machine: `{request.BaseModelPath}`.
        Bring the result home with `hanlin eval model --model <base> --adapter out/adapter --data ...`, or serve it.

        """);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex JobNamePattern();
}
