using Hanlin.Models.Llama;
using Hanlin.Models.Lora;
using Hanlin.Training.FineTuning;
using static TorchSharp.torch;

namespace Hanlin.Training.Tests.FineTuning;

public sealed class LoraTrainingModelTests : IDisposable
{
    private static readonly LlamaConfig Shape = new(32, 64, 2, 4, 2, 48, 64) { TiedClassifier = false };
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static List<EncodedExample> Data(int count)
    {
        var random = new Random(4);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var start = random.Next(48);
            var ids = Enumerable.Range(0, 10).Select(t => (start + (5 * t)) % 48).ToArray();
            return new EncodedExample(ids, [EncodedExample.Ignore, EncodedExample.Ignore, .. ids[2..]]);
        })];
    }

    private static FineTuneOptions Options(double dropout) => new()
    {
        Lora = new LoraSettings { Rank = 4, Alpha = 8, Dropout = dropout, TargetModules = ["q_proj", "v_proj", "o_proj", "down_proj"] },
        LearningRate = 2e-2,
        MaxSteps = 8,
        BatchSize = 4,
        GradientAccumulation = 1,
        WarmupSteps = 1,
        EvalInterval = 4,
        CheckpointInterval = 3,
        Seed = 3,
    };

    [Fact]
    public async Task A_few_LoRA_steps_on_a_tiny_random_Llama_lower_the_loss_and_leave_the_base_weights_untouched()
    {
        using var model = LlamaModel.CreateRandom(Shape, seed: 1);
        using var tokens = tensor(Data(1)[0].InputIds.Select(i => (long)i).ToArray(), 1, 10);
        using var before = model.ForwardTraining(tokens, null, training: false);
        var data = Data(16);

        FineTuneResult result;
        double initial, final;
        using (var lora = LoraTrainingModel.Create(model, Options(0).Lora, seed: 2))
        {
            Assert.Equal(2 * 2 * 4, lora.TrainableParameters.Count); // A and B of 4 projections in 2 layers
            initial = Loss(lora, data);
            result = await new FineTuneTrainer(lora, Options(0)).RunAsync(data, data, _temp.Path, cancellationToken: TestContext.Current.CancellationToken);
            final = Loss(lora, data);
        }

        // The random base has 0.02-scale weights, so its logits move slowly; a drop of 0.1 nat in 8 steps is far beyond noise (the run is seeded).
        Assert.True(final < initial - 0.1, $"loss {initial} -> {final}");
        Assert.Equal(result.BestValidationLoss!.Value, final, 5);
        Assert.Null(model.Adapter);
        using var after = model.ForwardTraining(tokens, null, training: false);
        Assert.True(before.eq(after).all().item<bool>(), "the base weights changed");
        using var saved = LoraAdapter.Load(result.OutputDirectory);
        Assert.Equal(4, saved.Config.Rank);
        Assert.Contains(saved.Parameters, p => p.abs().max().item<float>() > 0);
    }

    [Fact]
    public async Task A_LoRA_run_with_dropout_stopped_and_resumed_saves_the_same_adapter_as_an_uninterrupted_run()
    {
        var data = Data(16);
        var options = Options(0.1);
        using var model = LlamaModel.CreateRandom(Shape, seed: 1);
        using (var reference = LoraTrainingModel.Create(model, options.Lora, seed: 2))
        {
            await new FineTuneTrainer(reference, options).RunAsync(data, data, _temp.File("reference"), cancellationToken: TestContext.Current.CancellationToken);
        }

        using (var killed = LoraTrainingModel.Create(model, options.Lora, seed: 2))
        {
            using var stop = new CancellationTokenSource();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FineTuneTrainer(killed, options)
                .RunAsync(data, data, _temp.File("resumed"), new CancelAtStep(5, stop), stop.Token));
        }

        FineTuneResult resumed;
        using (var fresh = LoraTrainingModel.Create(model, options.Lora, seed: 99))
        {
            resumed = await new FineTuneTrainer(fresh, options).RunAsync(data, data, _temp.File("resumed"), cancellationToken: TestContext.Current.CancellationToken);
        }

        Assert.Equal(4, resumed.ResumedFromStep); // the first evaluation (step 4) is a new best and checkpointed; step 5 is done again
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(_temp.File("reference"), "output", LoraAdapter.WeightsFileName)),
            File.ReadAllBytes(Path.Combine(resumed.OutputDirectory, LoraAdapter.WeightsFileName)));
    }

    [Fact]
    public async Task LoRA_trains_on_a_bf16_base_model()
    {
        using var model = LlamaModel.CreateRandom(Shape, seed: 1, dtype: ScalarType.BFloat16);
        var data = Data(8);
        using var lora = LoraTrainingModel.Create(model, Options(0).Lora, seed: 2);
        var initial = Loss(lora, data);

        await new FineTuneTrainer(lora, Options(0) with { Precision = TrainingPrecision.BFloat16, MaxSteps = 4 }).RunAsync(data, [], _temp.Path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(Loss(lora, data) < initial, "the loss did not fall");
    }

    private static double Loss(LoraTrainingModel model, IReadOnlyList<EncodedExample> data)
    {
        using var noGrad = no_grad();
        using var batch = BatchCollator.Collate(data, 0);
        using var loss = model.Loss(batch, null);
        return loss.item<float>();
    }

    private sealed class CancelAtStep(int step, CancellationTokenSource source) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == step)
            {
                source.Cancel();
            }
        }
    }
}
