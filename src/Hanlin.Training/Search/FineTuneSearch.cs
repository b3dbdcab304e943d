using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hanlin.Core.Errors;
using Hanlin.Training.Datasets;
using Hanlin.Training.FineTuning;

namespace Hanlin.Training.Search;

/// <summary>
/// Hyperparameter search over LoRA fine-tuning runs: each trial is a <see cref="FineTuneRunner"/> run of the base options
/// with the trial's learning rate, rank, alpha and epochs (early stopping as the base options say), scored by its best
/// validation loss. Every trial is recorded in <c>trials.json</c>; the best trial's adapter is copied to <c>best/</c>.
/// A trial's run directory is named after its parameters, so a search interrupted mid-trial resumes that trial from its
/// last checkpoint, and finished trials are not run again.
/// </summary>
public static class FineTuneSearch
{
    /// <summary>The trial log inside the search directory.</summary>
    public const string LogFileName = "trials.json";

    /// <summary>Where the best trial's adapter is copied.</summary>
    public const string BestDirectoryName = "best";

    /// <summary>Runs the search in <paramref name="directory"/>.</summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> without a validation split or for bad options or space.</exception>
    public static async Task<SearchOutcome> RunAsync(
        string modelPath, FineTuneOptions baseOptions, SplitResult dataset, SearchSpace space, SearchOptions options, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentNullException.ThrowIfNull(baseOptions);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (dataset.Validation.Count == 0)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "A hyperparameter search scores trials by validation loss; give it a validation dataset.");
        }

        baseOptions.ThrowIfInvalid();
        Directory.CreateDirectory(directory);
        var outcome = await HyperparameterSearch.RunAsync(
            space,
            options with { LogPath = Path.Combine(directory, LogFileName), Goal = MetricGoal.Minimize, MetricName = "val_loss" },
            async (trial, ct) =>
            {
                var trialOptions = baseOptions with
                {
                    LearningRate = trial.LearningRate,
                    Epochs = trial.Epochs,
                    MaxSteps = null,
                    Lora = baseOptions.Lora with { Rank = trial.Rank, Alpha = trial.Alpha },
                };
                var result = await FineTuneRunner.RunAsync(modelPath, trialOptions, dataset, Path.Combine(directory, TrialDirectory(trial)), cancellationToken: ct).ConfigureAwait(false);
                var loss = result.BestValidationLoss
                    ?? throw new HanlinException(ErrorCodes.Internal, $"Trial {trial} finished without a validation loss.");
                var metrics = new Dictionary<string, double> { ["val_loss"] = loss, ["steps"] = result.Steps };
                if (result.FinalTrainLoss is { } train)
                {
                    metrics["train_loss"] = train;
                }

                return new TrialResult(loss, metrics, result.OutputDirectory);
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);

        if (outcome.Best?.Artifact is { } artifact && Directory.Exists(artifact))
        {
            var best = Path.Combine(directory, BestDirectoryName);
            var staging = best + ".partial";
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            Directory.CreateDirectory(staging);
            foreach (var file in Directory.GetFiles(artifact))
            {
                File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
            }

            if (Directory.Exists(best))
            {
                Directory.Delete(best, recursive: true);
            }

            Directory.Move(staging, best);
        }

        return outcome;
    }

    // trial-<lr>-r<rank>-a<alpha>-e<epochs>-<hash>: readable, and the same parameters always map to the same directory.
    private static string TrialDirectory(TrialParameters trial)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{trial.LearningRate:R}|{trial.Rank}|{trial.Alpha:R}|{trial.Epochs}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];
        return string.Create(CultureInfo.InvariantCulture, $"trial-lr{trial.LearningRate:0.##e0}-r{trial.Rank}-a{trial.Alpha:0.##}-e{trial.Epochs}-{hash}");
    }
}
