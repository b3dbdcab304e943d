using System.Text.Json;
using System.Threading.Channels;
using Hanlin.Core.Errors;
using Hanlin.Training.Datasets;
using Hanlin.Training.FineTuning;
using Hanlin.Training.Registry;

namespace Hanlin.Training.Jobs;

/// <summary>
/// Trains a job in process with LoRA on TorchSharp (<see cref="FineTuneRunner"/>) and registers the adapter: the base
/// model is a registry name or id, or a model path (registered as a base model on first use, so the adapter's lineage and
/// checksums are complete). Step metrics and checkpoints go to the job's events as training runs; a job re-run after an
/// interruption resumes from the latest checkpoint in its run directory.
/// </summary>
public sealed class LoraFineTuneExecutor(ModelRegistry registry) : IFineTuneExecutor
{
    /// <inheritdoc />
    public async Task<FineTuneOutcome> ExecuteAsync(FineTuneExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var job = execution.Job;
        var options = FineTuneJobOptions.Parse(job.HyperparametersJson, job.Seed);
        var baseModel = await ResolveBaseAsync(job.Model, cancellationToken).ConfigureAwait(false);
        var training = await DatasetReader.ReadAsync(execution.TrainingFile.Path, cancellationToken: cancellationToken).ConfigureAwait(false);
        IReadOnlyList<TrainingExample> validation = execution.ValidationFile is { } file
            ? (await DatasetReader.ReadAsync(file.Path, cancellationToken: cancellationToken).ConfigureAwait(false)).Examples
            : [];
        await execution.Reporter.MessageAsync(
            $"Training a rank-{options.Lora.Rank} LoRA adapter of '{baseModel.Name}' v{baseModel.Version} on {training.Examples.Count:N0} examples"
            + (validation.Count > 0 ? $", evaluating on {validation.Count:N0}." : "."),
            cancellationToken: cancellationToken).ConfigureAwait(false);

        var runDirectory = Path.Combine(execution.RunDirectory, "train");
        var events = Channel.CreateUnbounded<TrainingProgress>(new UnboundedChannelOptions { SingleReader = true });
        var pump = PumpAsync(events.Reader, execution.Reporter, new CheckpointStore(runDirectory), cancellationToken);
        FineTuneResult result;
        try
        {
            result = await FineTuneRunner.RunAsync(
                baseModel.Directory, options, new SplitResult(training.Examples, validation, []), runDirectory,
                new Progress(events.Writer), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            events.Writer.TryComplete();
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var name = FineTunedName(job, baseModel);
        var metrics = new Dictionary<string, object?>
        {
            ["steps"] = result.Steps,
            ["final_train_loss"] = result.FinalTrainLoss,
            ["best_validation_loss"] = result.BestValidationLoss,
            ["best_step"] = result.BestStep,
            ["stopped_early"] = result.StoppedEarly,
        };
        var entry = await registry.RegisterAsync(new ModelRegistration
        {
            Name = name,
            Kind = ModelKind.Adapter,
            Directory = result.OutputDirectory,
            BaseModelId = baseModel.Id,
            DatasetSha256 = execution.TrainingFile.Sha256,
            HyperparametersJson = JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(FineTuneJobOptions.ToJson(options))),
            MetricsJson = JsonSerializer.Serialize(metrics),
            JobId = job.Id,
        }, cancellationToken).ConfigureAwait(false);
        await execution.Reporter.MessageAsync($"Registered adapter '{entry.Name}' v{entry.Version} ({entry.Id}).", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new FineTuneOutcome(name, TrainedTokens(result, options, training.Examples, baseModel.Directory));
    }

    /// <summary>
    /// The name of a job's model, OpenAI-style: <c>ft:&lt;base&gt;:&lt;suffix or "hanlin"&gt;:&lt;job id hash&gt;</c>.
    /// </summary>
    public static string FineTunedName(FineTuneJob job, ModelEntry baseModel)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(baseModel);
        var shortId = job.Id.Length > 8 ? job.Id[^8..] : job.Id;
        return $"ft:{baseModel.Name}:{job.Suffix ?? "hanlin"}:{shortId}";
    }

    private async Task<ModelEntry> ResolveBaseAsync(string model, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.ResolveForLoadingAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (HanlinException ex) when (ex.Code == ErrorCodes.ModelNotFound)
        {
            if (!Directory.Exists(model))
            {
                throw new HanlinException(ErrorCodes.UnsupportedModel, $"The base model '{model}' is neither a registered model nor a model directory.", ex);
            }
        }

        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(model)));
        var existing = await registry.ListAsync(name, cancellationToken).ConfigureAwait(false);
        var same = existing.FirstOrDefault(e => e.Kind == ModelKind.BaseModel && string.Equals(e.Directory, Path.GetFullPath(model), StringComparison.Ordinal));
        return same is not null
            ? await registry.ResolveForLoadingAsync(same.Id, cancellationToken).ConfigureAwait(false)
            : await registry.RegisterAsync(new ModelRegistration { Name = name, Kind = ModelKind.BaseModel, Directory = model }, cancellationToken).ConfigureAwait(false);
    }

    // OpenAI's trained_tokens: tokens of the sequences the steps consumed — steps × sequences per step × the mean tokens
    // of an example (message contents, by the base model's tokenizer; template tokens are not counted).
    private static long TrainedTokens(FineTuneResult result, FineTuneOptions options, IReadOnlyList<TrainingExample> examples, string baseDirectory)
    {
        if (examples.Count == 0)
        {
            return 0;
        }

        var tokenizer = Hanlin.Models.Tokenization.TokenizerLoader.Load(baseDirectory);
        var mean = examples.Average(e => e.Messages.Sum(m => (double)tokenizer.Encode(m.Content, addSpecialTokens: false, parseSpecialTokens: false).Length));
        return (long)Math.Round(mean * result.Steps * options.BatchSize * options.GradientAccumulation, MidpointRounding.AwayFromZero);
    }

    private static async Task PumpAsync(ChannelReader<TrainingProgress> reader, IFineTuneReporter reporter, CheckpointStore checkpoints, CancellationToken cancellationToken)
    {
        var reported = new HashSet<int>(checkpoints.Steps());
        var metrics = new Dictionary<string, double>();
        await foreach (var progress in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            metrics = [];
            Add(metrics, "train_loss", progress.TrainLoss);
            Add(metrics, "valid_loss", progress.ValidationLoss);
            Add(metrics, "learning_rate", progress.LearningRate);
            Add(metrics, "tokens_per_second", progress.TokensPerSecond);
            metrics["epoch"] = progress.Epoch;
            metrics["total_steps"] = progress.TotalSteps;
            await reporter.MetricsAsync(progress.Step, metrics, cancellationToken).ConfigureAwait(false);
            await ReportNewCheckpointsAsync().ConfigureAwait(false);
        }

        // The last checkpoint is written after the last step's report.
        await ReportNewCheckpointsAsync().ConfigureAwait(false);

        async Task ReportNewCheckpointsAsync()
        {
            foreach (var step in checkpoints.Steps().Where(reported.Add))
            {
                await reporter.CheckpointAsync(step, metrics, checkpoints.PathOf(step), cancellationToken).ConfigureAwait(false);
            }
        }

        static void Add(Dictionary<string, double> metrics, string name, double? value)
        {
            if (value is { } v)
            {
                metrics[name] = Math.Round(v, 6);
            }
        }
    }

    // Progress<T> would post to the thread pool and reorder reports; this keeps them in order for the event log.
    private sealed class Progress(ChannelWriter<TrainingProgress> writer) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => writer.TryWrite(value);
    }
}
