using Hanlin.Core.Errors;
using Hanlin.Training.FineTuning;

namespace Hanlin.Training.Tests.FineTuning;

public sealed class FineTuneOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(new FineTuneOptions().Validate());
    }

    [Fact]
    public void Every_invalid_value_is_reported_naming_its_field()
    {
        var options = new FineTuneOptions
        {
            LearningRate = -1,
            BatchSize = 0,
            GradientAccumulation = 0,
            Beta2 = 1,
            MaxGradientNorm = -2,
            Lora = new LoraSettings { Rank = 0, Dropout = 1, TargetModules = [] },
            Stages = [new TrainingStage(), new TrainingStage { Epochs = 0, LearningRate = double.NaN }],
        };

        var errors = options.Validate();

        foreach (var field in new[] { "learning_rate", "batch_size", "gradient_accumulation", "beta2", "max_gradient_norm", "lora.rank", "lora.dropout", "lora.target_modules", "stages[1].epochs", "stages[1].learning_rate" })
        {
            Assert.Contains(errors, e => e.StartsWith(field + " ", StringComparison.Ordinal));
        }

        Assert.Equal(10, errors.Count);
        var thrown = Assert.Throws<HanlinException>(options.ThrowIfInvalid);
        Assert.Equal(ErrorCodes.InvalidArgument, thrown.Code);
        Assert.Contains("stages[1].epochs must be at least 1 (got 0)", thrown.Message);
    }

    [Fact]
    public void Stages_take_the_jobs_values_where_they_set_none()
    {
        var options = new FineTuneOptions { LearningRate = 1e-3, Epochs = 2, WarmupSteps = 3, Stages = [new TrainingStage { Name = "warm" }, new TrainingStage { LearningRate = 1e-4, MaxSteps = 7, Schedule = LearningRateSchedule.Cosine }] };

        var stages = options.ResolveStages();

        Assert.Equal(new ResolvedStage("warm", 1e-3, 2, null, 3, LearningRateSchedule.Linear, 0), stages[0]);
        Assert.Equal(new ResolvedStage("stage-2", 1e-4, 0, 7, 3, LearningRateSchedule.Cosine, 0), stages[1]);
        Assert.Equal(10, stages[0].Steps(microBatchesPerEpoch: 10, accumulation: 2));
        Assert.Equal(7, stages[1].Steps(10, 2));
    }

    [Theory]
    [InlineData(LearningRateSchedule.Linear, 0, 0.25)]
    [InlineData(LearningRateSchedule.Linear, 2, 0.75)]
    [InlineData(LearningRateSchedule.Linear, 3, 1.0)]
    [InlineData(LearningRateSchedule.Linear, 8, 0.5)]
    [InlineData(LearningRateSchedule.Cosine, 8, 0.5)]
    [InlineData(LearningRateSchedule.Cosine, 3, 1.0)]
    [InlineData(LearningRateSchedule.Cosine, 4, 0.9755282581475768)]
    [InlineData(LearningRateSchedule.Constant, 12, 1.0)]
    public void The_learning_rate_warms_up_linearly_then_decays_as_scheduled(LearningRateSchedule schedule, int step, double expected)
    {
        // 3 warm-up steps rising as (k+1)/4, then 10 decay steps over a 13-step stage.
        var stage = new ResolvedStage("s", 1.0, 1, 13, 3, schedule, 0);

        Assert.Equal(expected, stage.LearningRateAt(step, 13), 12);
    }
}
