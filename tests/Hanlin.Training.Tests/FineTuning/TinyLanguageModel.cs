using Hanlin.Training.FineTuning;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hanlin.Training.Tests.FineTuning;

/// <summary>
/// A real, tiny TorchSharp language model for the trainer's tests: token embedding, a causal mean of the context so far,
/// dropout drawn from the trainer's generator, and an output projection; a causal-LM loss with -100 labels.
/// </summary>
internal sealed class TinyLanguageModel : ITrainableModel, IDisposable
{
    private readonly Parameter _embedding;
    private readonly Parameter _head;
    private readonly double _dropout;

    public TinyLanguageModel(int vocabulary = 16, int dimension = 8, double dropout = 0.1, long seed = 7, ScalarType dtype = ScalarType.Float32)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        _embedding = new Parameter(randn([vocabulary, dimension], generator: generator).mul_(0.5).to(dtype));
        _head = new Parameter(randn([dimension, vocabulary], generator: generator).mul_(0.5).to(dtype));
        _dropout = dropout;
        TrainableParameters = [new("embedding", _embedding), new("head", _head)];
    }

    public IReadOnlyList<KeyValuePair<string, Tensor>> TrainableParameters { get; }

    public Tensor Loss(TrainingBatch batch, Generator? dropout)
    {
        using var scope = NewDisposeScope();
        var hidden = _embedding.index_select(0, batch.InputIds.flatten()).view(batch.InputIds.shape[0], batch.InputIds.shape[1], -1); // [b, t, d]
        var positions = arange(1, batch.InputIds.shape[1] + 1, dtype: hidden.dtype).view(1, -1, 1);
        hidden = hidden.cumsum(1).div(positions); // causal mean of tokens 0..t
        if (dropout is not null && _dropout > 0)
        {
            var keep = rand(hidden.shape, generator: dropout).ge(_dropout).to(hidden.dtype);
            hidden = hidden.mul(keep).div(1 - _dropout);
        }

        var logits = hidden.matmul(_head).to(ScalarType.Float32); // [b, t, vocab]
        var shifted = logits[.., ..^1].reshape(-1, logits.shape[2]);
        var targets = batch.Labels[.., 1..].reshape(-1);
        return nn.functional.cross_entropy(shifted, targets, ignore_index: -100).MoveToOuterDisposeScope();
    }

    public void SaveTrained(string directory)
    {
        foreach (var (name, parameter) in TrainableParameters)
        {
            using var detached = parameter.detach();
            detached.Save(Path.Combine(directory, name + ".bin"));
        }
    }

    public float[] Snapshot() => [.. TrainableParameters.SelectMany(p => p.Value.detach().to(ScalarType.Float32).data<float>().ToArray())];

    public void Dispose()
    {
        _embedding.Dispose();
        _head.Dispose();
    }
}
