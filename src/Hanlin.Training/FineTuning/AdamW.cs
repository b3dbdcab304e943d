using TorchSharp;
using static TorchSharp.torch;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// AdamW (Loshchilov and Hutter; the update of PyTorch's <c>torch.optim.AdamW</c>) with fp32 master weights and moments.
/// </summary>
/// <remarks>
/// Hand-written rather than TorchSharp's <c>torch.optim.AdamW</c> for two reasons: its moments take the parameter's
/// dtype, so with bf16 weights updates smaller than bf16's 8-bit mantissa vanish, where this keeps fp32 master copies;
/// and a resumable run must save and restore the moments and step count exactly, in the checkpoint's own atomic
/// layout, which is a few tensors here. Owns its state tensors.
/// </remarks>
public sealed class AdamW : IDisposable
{
    private readonly Tensor[] _parameters;
    private readonly Tensor[] _exponentialAverage;
    private readonly Tensor[] _exponentialAverageSquared;
    private readonly Tensor?[] _master;

    /// <summary>Creates the optimiser for <paramref name="parameters"/> with zero moments.</summary>
    public AdamW(IReadOnlyList<Tensor> parameters, double beta1, double beta2, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        using var noGrad = no_grad();
        _exponentialAverage = [.. _parameters.Select(p => zeros(p.shape, ScalarType.Float32))];
        _exponentialAverageSquared = [.. _parameters.Select(p => zeros(p.shape, ScalarType.Float32))];
        _master = [.. _parameters.Select(p => p.dtype == ScalarType.Float32 ? null : p.detach().to(ScalarType.Float32))];
    }

    /// <summary>Adam's beta1.</summary>
    public double Beta1 { get; }

    /// <summary>Adam's beta2.</summary>
    public double Beta2 { get; }

    /// <summary>Adam's epsilon.</summary>
    public double Epsilon { get; }

    /// <summary>Updates taken so far (the t of the bias correction).</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// Applies one update from the parameters' gradients: p ← p − lr·wd·p, then p ← p − lr·m̂/(√v̂ + ε).
    /// A parameter without a gradient is left alone (its moments too), as PyTorch does.
    /// </summary>
    public void Step(double learningRate, double weightDecay)
    {
        StepCount++;
        var correction1 = 1 - Math.Pow(Beta1, StepCount);
        var correction2 = 1 - Math.Pow(Beta2, StepCount);
        var stepSize = learningRate / correction1;
        var sqrtCorrection2 = Math.Sqrt(correction2);
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var scope = NewDisposeScope();
            var parameter = _parameters[i];
            if (parameter.grad is not { } gradient)
            {
                continue;
            }

            var weights = _master[i] ?? parameter;
            var g = gradient.to(ScalarType.Float32);
            weights.mul_(1 - (learningRate * weightDecay));
            _exponentialAverage[i].mul_(Beta1).add_(g, alpha: 1 - Beta1);
            _exponentialAverageSquared[i].mul_(Beta2).addcmul_(g, g, value: 1 - Beta2);
            var denominator = _exponentialAverageSquared[i].sqrt().div_(sqrtCorrection2).add_(Epsilon);
            weights.addcdiv_(_exponentialAverage[i], denominator, value: -stepSize);
            if (_master[i] is { } master)
            {
                parameter.copy_(master);
            }
        }
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            if (parameter.grad is { } gradient)
            {
                using var noGrad = no_grad();
                gradient.zero_();
            }
        }
    }

    /// <summary>Writes the step count, the moments and the master weights (TorchSharp tensor format).</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StepCount);
        writer.Write(_parameters.Length);
        for (var i = 0; i < _parameters.Length; i++)
        {
            _exponentialAverage[i].Save(writer);
            _exponentialAverageSquared[i].Save(writer);
            writer.Write(_master[i] is not null);
            _master[i]?.Save(writer);
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote for the same parameters, exactly.</summary>
    /// <exception cref="InvalidDataException">The state is of a different parameter list.</exception>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var step = reader.ReadInt64();
        if (reader.ReadInt32() != _parameters.Length)
        {
            throw new InvalidDataException("The optimiser state is of a different number of parameters.");
        }

        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            _exponentialAverage[i].Load(reader);
            _exponentialAverageSquared[i].Load(reader);
            var hasMaster = reader.ReadBoolean();
            if (hasMaster != _master[i] is not null)
            {
                throw new InvalidDataException("The optimiser state was saved for parameters of another precision.");
            }

            _master[i]?.Load(reader);
        }

        StepCount = step;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var tensor in _exponentialAverage.Concat(_exponentialAverageSquared).Concat(_master.OfType<Tensor>()))
        {
            tensor.Dispose();
        }
    }
}
