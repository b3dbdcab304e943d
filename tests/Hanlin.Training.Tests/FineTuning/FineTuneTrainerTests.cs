using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Training.FineTuning;

namespace Hanlin.Training.Tests.FineTuning;

public sealed class FineTuneTrainerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Sequences over a 16-token vocabulary following a learnable rule (next = current + step mod 16), prompt token unlearnt.</summary>
    private static List<EncodedExample> Data(int count, int step, int seed)
    {
        var random = new Random(seed);
        var examples = new List<EncodedExample>();
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(4, 9);
            var ids = new int[length];
            ids[0] = random.Next(16);
            for (var t = 1; t < length; t++)
            {
                ids[t] = (ids[t - 1] + step) % 16;
            }

            var labels = (int[])ids.Clone();
            labels[0] = EncodedExample.Ignore;
            examples.Add(new EncodedExample(ids, labels));
        }

        return examples;
    }

    private static FineTuneOptions Options => new()
    {
        LearningRate = 0.05,
        Epochs = 3,
        BatchSize = 4,
        GradientAccumulation = 2,
        WarmupSteps = 2,
        Schedule = LearningRateSchedule.Cosine,
        WeightDecay = 0.01,
        MaxGradientNorm = 1.0,
        Seed = 1,
        EvalInterval = 3,
        CheckpointInterval = 2,
        RestoreBestAtEnd = false,
    };

    private sealed class StopAt(int step, CancellationTokenSource source) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == step)
            {
                source.Cancel();
            }
        }
    }

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];

        public void Report(TrainingProgress value) => Reports.Add(value);
    }

    [Fact]
    public async Task Training_lowers_the_loss_and_logs_every_step_and_evaluation_in_metrics_jsonl()
    {
        using var model = new TinyLanguageModel();
        var recorder = new Recorder();
        var trainer = new FineTuneTrainer(model, Options);

        var result = await trainer.RunAsync(Data(40, 3, 1), Data(8, 3, 2), _temp.Path, recorder, TestContext.Current.CancellationToken);

        Assert.Equal(15, result.TotalSteps); // 10 micro-batches per epoch, 2 per step, 3 epochs
        Assert.Equal(15, result.Steps);
        var steps = recorder.Reports.Where(r => r.TrainLoss is not null).ToList();
        Assert.Equal(Enumerable.Range(1, 15), steps.Select(r => r.Step));
        Assert.True(steps[^1].TrainLoss < steps[0].TrainLoss * 0.8, $"loss {steps[0].TrainLoss} -> {steps[^1].TrainLoss}");
        Assert.True(result.Evaluations[^1].Loss < result.Evaluations[0].Loss);
        Assert.All(steps, r => Assert.True(r.TokensPerSecond > 0 && r.EstimatedRemaining >= TimeSpan.Zero));
        Assert.Equal([3, 6, 9, 12, 15], result.Evaluations.Select(e => e.Step));

        var lines = File.ReadAllLines(Path.Combine(_temp.Path, MetricsLog.FileName));
        Assert.Equal(15 + 5, lines.Length);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(["step", "epoch", "train_loss", "val_loss", "lr", "tokens_per_second", "timestamp"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.True(json.RootElement.GetProperty("timestamp").TryGetDateTimeOffset(out _));
        }

        using var last = JsonDocument.Parse(lines[^1]);
        Assert.Equal(15, last.RootElement.GetProperty("step").GetInt32());
        Assert.Equal(3.0, last.RootElement.GetProperty("epoch").GetDouble());
        Assert.Equal(JsonValueKind.Null, last.RootElement.GetProperty("train_loss").ValueKind);
        Assert.Equal(result.Evaluations[^1].Loss, last.RootElement.GetProperty("val_loss").GetDouble());
        Assert.True(File.Exists(Path.Combine(result.OutputDirectory, "head.bin")));
    }

    [Fact]
    public async Task The_same_seed_gives_a_bit_identical_run()
    {
        using var first = new TinyLanguageModel();
        using var second = new TinyLanguageModel();

        await new FineTuneTrainer(first, Options).RunAsync(Data(40, 3, 1), [], _temp.File("a"), cancellationToken: TestContext.Current.CancellationToken);
        await new FineTuneTrainer(second, Options).RunAsync(Data(40, 3, 1), [], _temp.File("b"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first.Snapshot(), second.Snapshot());
    }

    [Theory]
    [InlineData(7, 6)] // between checkpoints: step 7 is done again from the checkpoint of step 6
    [InlineData(8, 8)] // right after a checkpoint
    [InlineData(5, 5)] // at the end of the first stage (evaluated and checkpointed)
    public async Task A_run_stopped_at_a_step_and_resumed_ends_bit_identical_to_an_uninterrupted_run(int stopAt, int checkpoint)
    {
        var train = Data(40, 3, 1);
        var validation = Data(8, 3, 2);
        var options = Options with { Lora = new LoraSettings { Dropout = 0.1 }, Stages = [new TrainingStage { Epochs = 1 }, new TrainingStage { LearningRate = 0.02, MaxSteps = 6, Schedule = LearningRateSchedule.Linear }] };
        using var reference = new TinyLanguageModel(dropout: 0.2);
        var uninterrupted = await new FineTuneTrainer(reference, options).RunAsync(train, validation, _temp.File("reference"), cancellationToken: TestContext.Current.CancellationToken);

        var runDirectory = _temp.File("resumed");
        using (var killed = new TinyLanguageModel(dropout: 0.2))
        {
            using var stop = new CancellationTokenSource();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new FineTuneTrainer(killed, options).RunAsync(train, validation, runDirectory, new StopAt(stopAt, stop), stop.Token));
        }

        using var resumedModel = new TinyLanguageModel(dropout: 0.2); // fresh weights: everything must come from the checkpoint
        var resumed = await new FineTuneTrainer(resumedModel, options).RunAsync(train, validation, runDirectory, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(checkpoint, resumed.ResumedFromStep);
        Assert.Equal(uninterrupted.Steps, resumed.Steps);
        Assert.Equal(11, resumed.Steps); // 5 steps of the first stage, 6 of the second
        Assert.Equal(reference.Snapshot(), resumedModel.Snapshot());
        Assert.Equal(uninterrupted.Evaluations, resumed.Evaluations);
        Assert.Equal(
            File.ReadAllLines(Path.Combine(_temp.File("reference"), MetricsLog.FileName)).Select(StripVolatile),
            File.ReadAllLines(Path.Combine(runDirectory, MetricsLog.FileName)).Select(StripVolatile));
    }

    private static string StripVolatile(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return $"{root.GetProperty("step")} {root.GetProperty("epoch")} {root.GetProperty("train_loss")} {root.GetProperty("val_loss")} {root.GetProperty("lr")}";
    }

    [Fact]
    public async Task A_diverging_loss_stops_the_job_with_a_clear_error_and_keeps_the_last_good_checkpoint()
    {
        using var model = new TinyLanguageModel();
        var options = Options with { LearningRate = 1e30, WarmupSteps = 0, MaxGradientNorm = 0, CheckpointInterval = 1, Schedule = LearningRateSchedule.Constant };

        var error = await Assert.ThrowsAsync<HanlinException>(() => new FineTuneTrainer(model, options).RunAsync(Data(40, 3, 1), [], _temp.Path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.TrainingDiverged, error.Code);
        Assert.Contains("last good checkpoint", error.Message);
        var store = new CheckpointStore(_temp.Path);
        var last = Assert.IsType<int>(store.Latest);
        Assert.Contains($"step {last}", error.Message);
        Assert.Contains($"Training stopped at step {last + 1}", error.Message);
        Assert.True(double.IsFinite(store.ReadState(last).TrainLoss!.Value));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "output")));
    }

    [Fact]
    public async Task A_disk_failure_while_checkpointing_leaves_the_previous_checkpoint_intact_and_resumable()
    {
        var train = Data(40, 3, 1);
        var options = Options with { Epochs = 1 };
        var files = 0;
        using (var model = new TinyLanguageModel())
        {
            // The first checkpoint (4 files) is written; the disk is "full" in the middle of the second one's optimiser state.
            var trainer = new FineTuneTrainer(model, options)
            {
                CheckpointFileFactory = path => ++files <= 5 ? File.Create(path) : new FullDiskStream(),
            };

            var error = await Assert.ThrowsAsync<HanlinException>(() => trainer.RunAsync(train, [], _temp.Path, cancellationToken: TestContext.Current.CancellationToken));

            Assert.Equal(ErrorCodes.CheckpointFailed, error.Code);
            Assert.Contains("step-00000002", error.Message);
            Assert.Contains("is intact", error.Message);
        }

        var store = new CheckpointStore(_temp.Path);
        Assert.Equal([2], store.Steps());
        Assert.Equal(["step-00000002"], Directory.EnumerateDirectories(store.Directory).Select(Path.GetFileName));

        using var resumedModel = new TinyLanguageModel();
        var resumed = await new FineTuneTrainer(resumedModel, options).RunAsync(train, [], _temp.Path, cancellationToken: TestContext.Current.CancellationToken);
        using var referenceModel = new TinyLanguageModel();
        await new FineTuneTrainer(referenceModel, options).RunAsync(train, [], _temp.File("reference"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, resumed.ResumedFromStep);
        Assert.Equal(referenceModel.Snapshot(), resumedModel.Snapshot());
    }

    private sealed class FullDiskStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");

        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("No space left on device");
    }

    [Fact]
    public async Task A_bf16_model_trains_with_fp32_optimiser_state()
    {
        using var model = new TinyLanguageModel(dtype: TorchSharp.torch.ScalarType.BFloat16);
        var recorder = new Recorder();

        await new FineTuneTrainer(model, Options with { Precision = TrainingPrecision.BFloat16 }).RunAsync(Data(40, 3, 1), [], _temp.Path, recorder, TestContext.Current.CancellationToken);

        Assert.Equal(TorchSharp.torch.ScalarType.BFloat16, model.TrainableParameters[0].Value.dtype);
        Assert.True(recorder.Reports[^1].TrainLoss < recorder.Reports[0].TrainLoss * 0.8, $"loss {recorder.Reports[0].TrainLoss} -> {recorder.Reports[^1].TrainLoss}");
    }

    [Fact]
    public async Task An_empty_training_split_is_refused()
    {
        using var model = new TinyLanguageModel();

        var error = await Assert.ThrowsAsync<HanlinException>(() => new FineTuneTrainer(model, Options).RunAsync([], [], _temp.Path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.DatasetEmpty, error.Code);
    }

    [Fact]
    public async Task Early_stopping_ends_the_run_when_validation_stops_improving_and_restores_the_best_weights()
    {
        // Validation follows another rule than training, so learning the training rule soon makes it worse.
        using var model = new TinyLanguageModel(dropout: 0);
        var options = Options with { Epochs = 10, EvalInterval = 1, Patience = 2, RestoreBestAtEnd = true, LearningRate = 0.1, WarmupSteps = 0 };

        var result = await new FineTuneTrainer(model, options).RunAsync(Data(40, 3, 1), Data(8, 5, 2), _temp.Path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.StoppedEarly);
        Assert.True(result.Steps < result.TotalSteps);
        Assert.Equal(result.BestStep + 2, result.Steps);
        Assert.Equal(result.Evaluations.Min(e => e.Loss), result.BestValidationLoss);
        var store = new CheckpointStore(_temp.Path);
        Assert.Contains(result.BestStep!.Value, store.Steps());

        // The model now holds the best checkpoint's weights: evaluating them again gives the best loss.
        using var best = new TinyLanguageModel(dropout: 0);
        var again = await new FineTuneTrainer(model, options with { Epochs = 1, MaxSteps = 1, LearningRate = 1e-30, WarmupSteps = 0, Stages = [] })
            .RunAsync(Data(4, 3, 1), Data(8, 5, 2), _temp.File("again"), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(result.BestValidationLoss!.Value, again.Evaluations[0].Loss, 5);
    }

    [Fact]
    public async Task Resuming_a_finished_run_trains_nothing_more()
    {
        using var model = new TinyLanguageModel();
        var options = Options with { Epochs = 1 };
        var first = await new FineTuneTrainer(model, options).RunAsync(Data(40, 3, 1), [], _temp.Path, cancellationToken: TestContext.Current.CancellationToken);
        var weights = model.Snapshot();

        var again = await new FineTuneTrainer(model, options).RunAsync(Data(40, 3, 1), [], _temp.Path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first.Steps, again.Steps);
        Assert.Equal(first.Steps, again.ResumedFromStep);
        Assert.Equal(weights, model.Snapshot());
    }

    [Fact]
    public async Task A_run_directory_of_other_options_is_not_resumed()
    {
        using var model = new TinyLanguageModel();
        await new FineTuneTrainer(model, Options with { Epochs = 1 }).RunAsync(Data(40, 3, 1), [], _temp.Path, cancellationToken: TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<HanlinException>(() => new FineTuneTrainer(model, Options with { Epochs = 2 }).RunAsync(Data(40, 3, 1), [], _temp.Path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("other options", error.Message);
    }
}
