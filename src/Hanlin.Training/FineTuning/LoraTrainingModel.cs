using Hanlin.Models.Llama;
using Hanlin.Models.Lora;
using static TorchSharp.torch;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// LoRA on a <see cref="LlamaModel"/> as an <see cref="ITrainableModel"/>: the adapter's A/B tensors are trained, the
/// base weights stay frozen and are never copied; the result is saved as a PEFT adapter directory.
/// </summary>
/// <remarks>
/// The model layer's LoRA dropout draws from libtorch's global generator. So that a seeded run stays reproducible
/// and resumable, each training forward first reseeds that generator from the run's own generator (whose state the
/// checkpoints keep). Two runs with dropout training at once in one process would still interleave those draws.
/// </remarks>
public sealed class LoraTrainingModel : ITrainableModel, IDisposable
{
    private readonly LlamaModel _model;

    /// <summary>Trains <paramref name="adapter"/> on <paramref name="model"/>; attaches it. Owns the adapter, not the model.</summary>
    public LoraTrainingModel(LlamaModel model, LoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(adapter);
        model.AttachAdapter(adapter);
        _model = model;
        Adapter = adapter;
        TrainableParameters = adapter.NamedParameters;
    }

    /// <summary>The adapter being trained.</summary>
    public LoraAdapter Adapter { get; }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Tensor>> TrainableParameters { get; }

    /// <summary>A fresh adapter of <paramref name="settings"/> (PEFT initialisation from <paramref name="seed"/>) on <paramref name="model"/>.</summary>
    /// <exception cref="Hanlin.Core.Errors.HanlinException"><c>invalid_argument</c>: an unknown target module, a rank larger than a projection, a layer the model lacks.</exception>
    public static LoraTrainingModel Create(LlamaModel model, LoraSettings settings, long seed, string? baseModelName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        var config = new LoraConfig(settings.Rank, settings.Alpha)
        {
            Dropout = settings.Dropout,
            UseRsLora = settings.UseRsLora,
            TargetModules = [.. settings.TargetModules.Select(LoraTargetModuleNames.Parse)],
            LayersToTransform = settings.Layers,
            BaseModelNameOrPath = baseModelName,
        };
        var adapter = LoraAdapter.Create(config, model.Config, seed);
        try
        {
            return new LoraTrainingModel(model, adapter);
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public Tensor Loss(TrainingBatch batch, Generator? dropout)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        if (dropout is not null && Adapter.Config.Dropout > 0)
        {
            random.manual_seed(randint(long.MaxValue, [1], generator: dropout).item<long>());
        }

        var logits = _model.ForwardTraining(batch.InputIds, batch.AttentionMask, training: dropout is not null); // [batch, seq, vocab]
        return LlamaModel.CausalLmLoss(logits, batch.Labels).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void SaveTrained(string directory) => Adapter.Save(directory);

    /// <summary>Detaches and disposes the adapter; the model is left to its owner.</summary>
    public void Dispose()
    {
        try
        {
            if (ReferenceEquals(_model.Adapter, Adapter))
            {
                _model.AttachAdapter(null);
            }
        }
        catch (ObjectDisposedException)
        {
            // The model went first; nothing is attached to a disposed model any more.
        }

        Adapter.Dispose();
    }
}
