using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// The fine-tuning loop over an <see cref="ITrainableModel"/>: token-weighted gradient accumulation, global-norm
/// clipping, <see cref="AdamW"/> with warm-up and decay per stage, evaluation with early stopping, atomic checkpoints
/// and exact resumption, progress reports and <c>metrics.jsonl</c>.
/// </summary>
/// <remarks>
/// The data is one endless stream of micro-batches: epoch e visits the examples in <see cref="BatchCollator.EpochOrder"/>
/// order, <see cref="FineTuneOptions.BatchSize"/> at a time, and each optimiser step consumes
/// <see cref="FineTuneOptions.GradientAccumulation"/> micro-batches, across epoch and stage boundaries. The position in
/// that stream, the optimiser, the generator and the scheduler's step are the whole state of a run, so a run resumed from
/// a checkpoint takes exactly the steps the uninterrupted run would have.
/// </remarks>
public sealed class FineTuneTrainer
{
    private static readonly JsonSerializerOptions OptionsJson = new() { WriteIndented = false };
    private readonly ITrainableModel _model;
    private readonly FineTuneOptions _options;
    private readonly int _padTokenId;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a trainer of <paramref name="model"/> with <paramref name="options"/>.</summary>
    /// <param name="model">The model; its trainable parameters are updated in place.</param>
    /// <param name="options">The run's settings (validated here).</param>
    /// <param name="padTokenId">Id written at padded positions (never attended to by real tokens nor learnt).</param>
    /// <param name="timeProvider">Clock for throughput, ETA and metric timestamps.</param>
    /// <exception cref="HanlinException"><see cref="ErrorCodes.InvalidArgument"/> for invalid options, naming each field.</exception>
    public FineTuneTrainer(ITrainableModel model, FineTuneOptions options, int padTokenId = 0, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _model = model;
        _options = options;
        _padTokenId = padTokenId;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Creates checkpoint files; tests replace it to simulate a failing disk.</summary>
    internal Func<string, Stream>? CheckpointFileFactory { get; init; }

    /// <summary>
    /// Trains on <paramref name="train"/>, evaluating on <paramref name="validation"/>, in <paramref name="runDirectory"/>;
    /// when that directory holds a checkpoint of a run with the same options, the run resumes from its latest one.
    /// </summary>
    /// <returns>The result; the trained weights are saved in <see cref="FineTuneResult.OutputDirectory"/>.</returns>
    /// <exception cref="HanlinException">
    /// <see cref="ErrorCodes.DatasetEmpty"/> without training sequences; <see cref="ErrorCodes.TrainingDiverged"/> when the
    /// loss or gradient norm is NaN/Inf (the last good checkpoint is kept); <see cref="ErrorCodes.CheckpointFailed"/> when a
    /// checkpoint cannot be written (the previous one is intact); <see cref="ErrorCodes.InvalidArgument"/> when the run
    /// directory holds a checkpoint of other options.
    /// </exception>
    /// <exception cref="OperationCanceledException">Cancelled between steps; resume from the latest checkpoint.</exception>
    public Task<FineTuneResult> RunAsync(
        IReadOnlyList<EncodedExample> train,
        IReadOnlyList<EncodedExample> validation,
        string runDirectory,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        if (train.Count == 0)
        {
            throw new HanlinException(ErrorCodes.DatasetEmpty, "The training split has no sequences to learn from (empty, or nothing left after encoding and truncation).");
        }

        // TorchSharp dispose scopes and autograd are per thread, so the whole run stays on one pool thread.
        return Task.Run(() => Run(train, validation, runDirectory, progress, cancellationToken), cancellationToken);
    }

    private FineTuneResult Run(
        IReadOnlyList<EncodedExample> train,
        IReadOnlyList<EncodedExample> validation,
        string runDirectory,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        Directory.CreateDirectory(runDirectory);
        var named = _model.TrainableParameters;
        if (named.Count == 0)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "The model has no trainable parameters.");
        }

        var parameters = named.Select(p => p.Value).ToArray();
        var stages = _options.ResolveStages();
        var microBatchesPerEpoch = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        var stageSteps = stages.Select(s => s.Steps(microBatchesPerEpoch, _options.GradientAccumulation)).ToArray();
        var totalSteps = stageSteps.Sum();
        var optionsJson = JsonSerializer.Serialize(_options, OptionsJson);

        using var generator = new Generator((ulong)_options.Seed);
        using var optimizer = new AdamW(parameters, _options.Beta1, _options.Beta2, _options.Epsilon);
        var store = CheckpointFileFactory is { } factory ? new CheckpointStore(runDirectory, factory) : new CheckpointStore(runDirectory);
        var metrics = new MetricsLog(runDirectory, _timeProvider);
        var outputDirectory = Path.Combine(runDirectory, "output");

        var state = new CheckpointState { Options = optionsJson };
        int? resumedFrom = null;
        if (store.Latest is { } latest)
        {
            state = store.ReadState(latest);
            if (!string.Equals(state.Options, optionsJson, StringComparison.Ordinal))
            {
                throw new HanlinException(
                    ErrorCodes.InvalidArgument,
                    $"The run directory '{runDirectory}' holds checkpoints of a run with other options; resume with the same options or use a new run directory.");
            }

            Restore(store, latest, named, optimizer, generator);
            metrics.TruncateTo(state.MetricsLength);
            resumedFrom = latest;
        }

        var run = new RunState(state);
        var sessionStart = _timeProvider.GetTimestamp();
        var stepsThisSession = 0;
        var order = Array.Empty<int>();
        var orderEpoch = -1L;

        while (!run.Completed && run.StageIndex < stages.Count)
        {
            var stage = stages[run.StageIndex];
            var steps = stageSteps[run.StageIndex];
            if (run.StepInStage >= steps)
            {
                run.StageIndex++;
                run.StepInStage = 0;
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var learningRate = stage.LearningRateAt(run.StepInStage, steps);
            var started = _timeProvider.GetTimestamp();
            var batches = new List<EncodedExample[]>(_options.GradientAccumulation);
            for (var i = 0; i < _options.GradientAccumulation; i++)
            {
                var epoch = run.MicroBatches / microBatchesPerEpoch;
                var index = (int)(run.MicroBatches % microBatchesPerEpoch);
                if (epoch != orderEpoch)
                {
                    order = BatchCollator.EpochOrder(_options.Seed, epoch, train.Count);
                    orderEpoch = epoch;
                }

                batches.Add([.. order.Skip(index * _options.BatchSize).Take(_options.BatchSize).Select(j => train[j])]);
                run.MicroBatches++;
            }

            var stepTokens = batches.Sum(b => b.Sum(e => e.LabelTokens));
            var inputTokens = batches.Sum(b => b.Sum(e => (long)e.InputIds.Length));
            optimizer.ZeroGrad();
            var loss = 0.0;
            foreach (var examples in batches)
            {
                using var scope = NewDisposeScope();
                using var batch = BatchCollator.Collate(examples, _padTokenId);
                var batchLoss = _model.Loss(batch, generator);
                var value = batchLoss.to(ScalarType.Float64).item<double>();
                if (!double.IsFinite(value))
                {
                    throw Diverged(store, run.GlobalStep + 1, stage.Name, $"the training loss became {value}");
                }

                // Each micro-batch's mean is weighted by its share of the step's learnt tokens, so the step's gradient
                // is the gradient of the mean over all those tokens, whatever the accumulation.
                var weight = (double)batch.LabelTokens / stepTokens;
                batchLoss.mul(weight).backward();
                loss += value * weight;
            }

            if (_options.MaxGradientNorm is double maxNorm and > 0)
            {
                var norm = GradientClipping.ClipByGlobalNorm(parameters, maxNorm);
                if (!double.IsFinite(norm))
                {
                    throw Diverged(store, run.GlobalStep + 1, stage.Name, $"the gradient norm became {norm}");
                }
            }

            optimizer.Step(learningRate, stage.WeightDecay);
            run.GlobalStep++;
            run.StepInStage++;
            run.TrainLoss = loss;
            stepsThisSession++;

            var seconds = _timeProvider.GetElapsedTime(started).TotalSeconds;
            double? tokensPerSecond = seconds > 0 ? inputTokens / seconds : null;
            var remaining = TimeSpan.FromTicks(_timeProvider.GetElapsedTime(sessionStart).Ticks / stepsThisSession * (totalSteps - run.GlobalStep));
            var epochs = (double)run.MicroBatches / microBatchesPerEpoch;
            metrics.Append(run.GlobalStep, epochs, loss, null, learningRate, tokensPerSecond);
            progress?.Report(new TrainingProgress(run.GlobalStep, totalSteps, epochs, stage.Name, loss, null, learningRate, tokensPerSecond, remaining));

            var stageEnds = run.StepInStage >= steps;
            var newBest = false;
            if (validation.Count > 0 && ((_options.EvalInterval > 0 && run.GlobalStep % _options.EvalInterval == 0) || stageEnds))
            {
                var validationLoss = Evaluate(validation);
                if (!double.IsFinite(validationLoss))
                {
                    throw Diverged(store, run.GlobalStep, stage.Name, $"the validation loss became {validationLoss}");
                }

                run.Evaluations.Add(new EvaluationResult(run.GlobalStep, validationLoss));
                metrics.Append(run.GlobalStep, epochs, null, validationLoss, null, null);
                progress?.Report(new TrainingProgress(run.GlobalStep, totalSteps, epochs, stage.Name, null, validationLoss, null, null, remaining));
                if (run.BestValidationLoss is not { } best || validationLoss < best)
                {
                    run.BestValidationLoss = validationLoss;
                    run.BestStep = run.GlobalStep;
                    run.EvaluationsWithoutImprovement = 0;
                    newBest = true;
                }
                else if (_options.Patience > 0 && ++run.EvaluationsWithoutImprovement >= _options.Patience)
                {
                    run.StoppedEarly = true;
                    run.Completed = true;
                }
            }

            if (stageEnds && run.StageIndex == stages.Count - 1)
            {
                run.Completed = true;
            }

            if (newBest || run.Completed || run.GlobalStep % _options.CheckpointInterval == 0)
            {
                store.Write(run.ToState(optionsJson, metrics.Length, microBatchesPerEpoch), w => SaveWeights(w, named), optimizer.Save, w => SaveGenerator(w, generator));
                store.Prune(_options.KeepCheckpoints, run.BestStep);
            }
        }

        if (_options.RestoreBestAtEnd && run.BestStep is { } bestStep && bestStep != run.GlobalStep && store.Steps().Contains(bestStep))
        {
            using var reader = store.OpenRead(bestStep, CheckpointStore.WeightsFile);
            LoadWeights(reader, named);
        }

        SaveOutput(outputDirectory);
        return new FineTuneResult(
            runDirectory,
            outputDirectory,
            run.GlobalStep,
            totalSteps,
            resumedFrom,
            run.TrainLoss,
            run.BestValidationLoss,
            run.BestStep,
            run.StoppedEarly,
            run.Evaluations);
    }

    /// <summary>Token-weighted mean loss over the validation sequences, in order, without dropout or gradients.</summary>
    private double Evaluate(IReadOnlyList<EncodedExample> validation)
    {
        using var noGrad = no_grad();
        double sum = 0;
        long tokens = 0;
        for (var start = 0; start < validation.Count; start += _options.BatchSize)
        {
            using var scope = NewDisposeScope();
            using var batch = BatchCollator.Collate([.. validation.Skip(start).Take(_options.BatchSize)], _padTokenId);
            if (batch.LabelTokens == 0)
            {
                continue;
            }

            sum += _model.Loss(batch, null).to(ScalarType.Float64).item<double>() * batch.LabelTokens;
            tokens += batch.LabelTokens;
        }

        return tokens == 0 ? double.NaN : sum / tokens;
    }

    private void SaveOutput(string outputDirectory)
    {
        var temporary = outputDirectory + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            Directory.CreateDirectory(temporary);
            _model.SaveTrained(temporary);
            if (Directory.Exists(outputDirectory))
            {
                Directory.Delete(outputDirectory, recursive: true);
            }

            Directory.Move(temporary, outputDirectory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }

            throw new HanlinException(ErrorCodes.CheckpointFailed, $"The trained weights could not be saved to '{outputDirectory}': {exception.Message}", exception);
        }
    }

    private static void Restore(CheckpointStore store, int step, IReadOnlyList<KeyValuePair<string, Tensor>> named, AdamW optimizer, Generator generator)
    {
        try
        {
            using (var reader = store.OpenRead(step, CheckpointStore.WeightsFile))
            {
                LoadWeights(reader, named);
            }

            using (var reader = store.OpenRead(step, CheckpointStore.OptimizerFile))
            {
                optimizer.Load(reader);
            }

            using (var reader = store.OpenRead(step, CheckpointStore.RngFile))
            {
                using var rng = Tensor.Load(reader);
                generator.set_state(rng);
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"The checkpoint '{store.PathOf(step)}' cannot be restored: {exception.Message}", exception);
        }
    }

    private static void SaveGenerator(BinaryWriter writer, Generator generator)
    {
        using var state = generator.get_state();
        state.Save(writer);
    }

    private static void SaveWeights(BinaryWriter writer, IReadOnlyList<KeyValuePair<string, Tensor>> named)
    {
        writer.Write(named.Count);
        foreach (var (name, parameter) in named)
        {
            writer.Write(name);
            using var detached = parameter.detach();
            detached.Save(writer);
        }
    }

    private static void LoadWeights(BinaryReader reader, IReadOnlyList<KeyValuePair<string, Tensor>> named)
    {
        if (reader.ReadInt32() != named.Count)
        {
            throw new InvalidDataException("The checkpoint holds a different number of trainable tensors than the model.");
        }

        using var noGrad = no_grad();
        foreach (var (name, parameter) in named)
        {
            var stored = reader.ReadString();
            if (!string.Equals(stored, name, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"The checkpoint holds tensor '{stored}' where the model has '{name}'.");
            }

            using var loaded = Tensor.Load(reader);
            parameter.copy_(loaded);
        }
    }

    private static HanlinException Diverged(CheckpointStore store, int step, string stage, string what)
    {
        var kept = store.Latest is { } last ? $"the last good checkpoint is '{store.PathOf(last)}' (step {last})" : "no checkpoint had been written yet";
        return new HanlinException(ErrorCodes.TrainingDiverged, $"Training stopped at step {step} ({stage}): {what}; {kept}. Lower the learning rate or check the data.");
    }
}
