using System.Globalization;
using Hanlin.Core.Errors;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// Everything that decides a fine-tuning run. A plain record of settable values, so a job file (JSON/YAML) binds to it;
/// <see cref="Validate"/> names each wrong field by its snake_case key (<c>learning_rate</c>, <c>stages[1].epochs</c>).
/// </summary>
public sealed record FineTuneOptions
{
    /// <summary>The adapter trained.</summary>
    public LoraSettings Lora { get; init; } = new();

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Passes over the training data (per stage, unless a stage sets its own).</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Optimiser steps; overrides <see cref="Epochs"/> when set.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Sequences per micro-batch.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>Micro-batches whose gradients are summed (token-weighted) into one optimiser step.</summary>
    public int GradientAccumulation { get; init; } = 1;

    /// <summary>Longest sequence in tokens (conversations are truncated, documents windowed).</summary>
    public int MaxSequenceLength { get; init; } = 512;

    /// <summary>Steps of linear warm-up from zero to the peak learning rate.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Decay after warm-up.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Linear;

    /// <summary>Decoupled weight decay (AdamW).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Adam's beta1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's beta2.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam's epsilon.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Clip gradients to this global L2 norm; null or 0 disables clipping.</summary>
    public double? MaxGradientNorm { get; init; } = 1.0;

    /// <summary>Seed of data order and dropout; the same seed and data give a bit-identical run.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Evaluate on the validation split every this many steps (and at the end); 0 evaluates only at the end.</summary>
    public int EvalInterval { get; init; } = 50;

    /// <summary>Stop after this many evaluations without a new best validation loss; 0 disables early stopping.</summary>
    public int Patience { get; init; }

    /// <summary>Write a checkpoint every this many steps (and at the end and at each new best).</summary>
    public int CheckpointInterval { get; init; } = 50;

    /// <summary>Most recent checkpoints kept besides the best one.</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>At the end, go back to the weights of the best evaluation before saving the result.</summary>
    public bool RestoreBestAtEnd { get; init; } = true;

    /// <summary>The type the model computes in.</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Float32;

    /// <summary>Stages run one after another in one job; empty means one stage with the values above.</summary>
    public IReadOnlyList<TrainingStage> Stages { get; init; } = [];

    /// <summary>Every problem of these options, each naming its field; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Positive(errors, "learning_rate", LearningRate);
        if (MaxSteps is null)
        {
            AtLeast(errors, "epochs", Epochs, 1);
        }

        if (MaxSteps is { } steps)
        {
            AtLeast(errors, "max_steps", steps, 1);
        }

        AtLeast(errors, "batch_size", BatchSize, 1);
        AtLeast(errors, "gradient_accumulation", GradientAccumulation, 1);
        AtLeast(errors, "max_sequence_length", MaxSequenceLength, 2);
        AtLeast(errors, "warmup_steps", WarmupSteps, 0);
        Range(errors, "weight_decay", WeightDecay, 0, 1, upperInclusive: true);
        Range(errors, "beta1", Beta1, 0, 1, upperInclusive: false);
        Range(errors, "beta2", Beta2, 0, 1, upperInclusive: false);
        Positive(errors, "epsilon", Epsilon);
        if (MaxGradientNorm is { } clip && (double.IsNaN(clip) || clip < 0))
        {
            errors.Add(Invalid("max_gradient_norm", "must be 0 (off) or positive", clip));
        }

        AtLeast(errors, "eval_interval", EvalInterval, 0);
        AtLeast(errors, "patience", Patience, 0);
        AtLeast(errors, "checkpoint_interval", CheckpointInterval, 1);
        AtLeast(errors, "keep_checkpoints", KeepCheckpoints, 1);
        Defined(errors, "schedule", Schedule);
        Defined(errors, "precision", Precision);
        ValidateLora(errors);
        for (var i = 0; i < Stages.Count; i++)
        {
            ValidateStage(errors, $"stages[{i}]", Stages[i]);
        }

        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> finds problems.</summary>
    /// <exception cref="HanlinException"><see cref="ErrorCodes.InvalidArgument"/> listing every problem.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "Invalid fine-tuning options: " + string.Join("; ", errors));
        }
    }

    /// <summary>The stages to run, with every unset value taken from these options.</summary>
    public IReadOnlyList<ResolvedStage> ResolveStages()
    {
        IReadOnlyList<TrainingStage> stages = Stages.Count > 0 ? Stages : [new TrainingStage()];
        return [.. stages.Select((stage, i) => new ResolvedStage(
            stage.Name ?? $"stage-{i + 1}",
            stage.LearningRate ?? LearningRate,
            stage.Epochs ?? (stage.MaxSteps is null ? Epochs : 0),
            stage.MaxSteps ?? (stage.Epochs is null ? MaxSteps : null),
            stage.WarmupSteps ?? WarmupSteps,
            stage.Schedule ?? Schedule,
            stage.WeightDecay ?? WeightDecay))];
    }

    private void ValidateLora(List<string> errors)
    {
        AtLeast(errors, "lora.rank", Lora.Rank, 1);
        Positive(errors, "lora.alpha", Lora.Alpha);
        Range(errors, "lora.dropout", Lora.Dropout, 0, 1, upperInclusive: false);
        if (Lora.TargetModules.Count == 0 || Lora.TargetModules.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("lora.target_modules must name at least one module, without blank names.");
        }

        if (Lora.Layers is { } layers && (layers.Count == 0 || layers.Any(l => l < 0)))
        {
            errors.Add("lora.layers must be null (every layer) or a non-empty list of layer indices >= 0.");
        }
    }

    private static void ValidateStage(List<string> errors, string prefix, TrainingStage stage)
    {
        if (stage.LearningRate is { } lr)
        {
            Positive(errors, $"{prefix}.learning_rate", lr);
        }

        if (stage.Epochs is { } epochs)
        {
            AtLeast(errors, $"{prefix}.epochs", epochs, 1);
        }

        if (stage.MaxSteps is { } steps)
        {
            AtLeast(errors, $"{prefix}.max_steps", steps, 1);
        }

        if (stage.WarmupSteps is { } warmup)
        {
            AtLeast(errors, $"{prefix}.warmup_steps", warmup, 0);
        }

        if (stage.WeightDecay is { } decay)
        {
            Range(errors, $"{prefix}.weight_decay", decay, 0, 1, upperInclusive: true);
        }

        if (stage.Schedule is { } schedule)
        {
            Defined(errors, $"{prefix}.schedule", schedule);
        }
    }

    private static void Positive(List<string> errors, string field, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            errors.Add(Invalid(field, "must be a finite number greater than 0", value));
        }
    }

    private static void AtLeast(List<string> errors, string field, int value, int minimum)
    {
        if (value < minimum)
        {
            errors.Add(Invalid(field, $"must be at least {minimum}", value));
        }
    }

    private static void Range(List<string> errors, string field, double value, double low, double high, bool upperInclusive)
    {
        if (double.IsNaN(value) || value < low || value > high || (!upperInclusive && value >= high))
        {
            errors.Add(Invalid(field, $"must be in [{low.ToString(CultureInfo.InvariantCulture)}, {high.ToString(CultureInfo.InvariantCulture)}{(upperInclusive ? "]" : ")")}", value));
        }
    }

    private static void Defined<TEnum>(List<string> errors, string field, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            errors.Add($"{field} must be one of {string.Join(", ", Enum.GetNames<TEnum>())} (got {value}).");
        }
    }

    private static string Invalid(string field, string rule, IFormattable value) =>
        $"{field} {rule} (got {value.ToString(null, CultureInfo.InvariantCulture)}).";
}
