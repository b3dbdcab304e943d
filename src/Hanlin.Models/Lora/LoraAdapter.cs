using System.Globalization;
using System.Text.RegularExpressions;
using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using Hanlin.Models.Runtime;
using Hanlin.Models.Safetensors;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Hanlin.Models.Lora;

/// <summary>
/// A LoRA adapter: for each adapted (layer, projection) an A <c>[r, in]</c> and a B <c>[out, r]</c>, fp32 leaf tensors
/// that require gradients (the trainable parameters), stored in the PEFT format (<c>adapter_config.json</c> +
/// <c>adapter_model.safetensors</c> with names like <c>base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight</c>).
/// Owns its tensors; attach it to a <see cref="LlamaModel"/> with <see cref="LlamaModel.AttachAdapter"/>.
/// </summary>
public sealed partial class LoraAdapter : IDisposable
{
    /// <summary>The weights file PEFT reads and writes.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    private readonly SortedDictionary<(int Layer, LoraTargetModule Module), LoraPair> _pairs;
    private bool _disposed;

    private LoraAdapter(LoraConfig config, SortedDictionary<(int Layer, LoraTargetModule Module), LoraPair> pairs)
    {
        Config = config;
        _pairs = pairs;
    }

    /// <summary>The hyperparameters.</summary>
    public LoraConfig Config { get; }

    /// <summary>The adapted (layer, projection) pairs, by layer then module.</summary>
    public IReadOnlyList<(int Layer, LoraTargetModule Module)> Targets => [.. _pairs.Keys];

    /// <summary>Trainable tensors by PEFT name (A and B of every adapted projection), in ordinal name order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedParameters =>
        [.. _pairs.SelectMany(p => new[]
        {
            new KeyValuePair<string, Tensor>(TensorName(p.Key.Layer, p.Key.Module, "A"), p.Value.A),
            new KeyValuePair<string, Tensor>(TensorName(p.Key.Layer, p.Key.Module, "B"), p.Value.B),
        }).OrderBy(p => p.Key, StringComparer.Ordinal)];

    /// <summary>The trainable tensors (what an optimiser updates), in the order of <see cref="NamedParameters"/>.</summary>
    public IReadOnlyList<Tensor> Parameters => [.. NamedParameters.Select(p => p.Value)];

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => _pairs.Values.Sum(p => p.A.numel() + p.B.numel());

    /// <summary>
    /// A fresh adapter for a model of shape <paramref name="model"/>, initialised as PEFT does: A kaiming-uniform with
    /// a = √5 (uniform in ±1/√in), B zeros, so the adapted model starts equal to the base. Deterministic for a seed.
    /// </summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c>: a bad configuration, a rank larger than a projection, or a layer the model lacks.</exception>
    public static LoraAdapter Create(LoraConfig config, LlamaConfig model, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        TorchRuntime.EnsureLoaded();
        config.Validate(model, "the given shape");
        using var generator = new Generator((ulong)seed);
        var pairs = new SortedDictionary<(int, LoraTargetModule), LoraPair>();
        try
        {
            for (var layer = 0; layer < model.Layers; layer++)
            {
                foreach (var module in LoraTargetModuleNames.All.Where(m => config.Targets(layer, m)))
                {
                    var (outFeatures, inFeatures) = LoraTargetModuleNames.Shape(module, model);
                    using var scope = NewDisposeScope();
                    var bound = 1.0 / Math.Sqrt(inFeatures); // gain √(2/(1+5)) · √(3/in)
                    var a = rand([config.Rank, inFeatures], generator: generator).mul_(2 * bound).sub_(bound);
                    var b = zeros(outFeatures, config.Rank);
                    pairs.Add((layer, module), new LoraPair(Leaf(a), Leaf(b)));
                }
            }
        }
        catch
        {
            DisposeAll(pairs);
            throw;
        }

        return new LoraAdapter(config, pairs);
    }

    /// <summary>Loads a PEFT LoRA adapter directory (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>, stored in fp32, bf16 or fp16); tensors become fp32.</summary>
    /// <exception cref="HanlinException">
    /// <c>file_not_found</c> for a missing directory or file; <c>corrupt_file</c> when the tensors do not agree with the
    /// configuration (missing or unexpected names, wrong shapes); <c>unsupported_model</c> for PEFT features Hanlin does not implement.
    /// </exception>
    public static LoraAdapter Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        TorchRuntime.EnsureLoaded();
        if (!Directory.Exists(directory))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"LoRA adapter directory '{directory}' does not exist.");
        }

        var config = LoraConfig.Load(Path.Combine(directory, LoraConfig.FileName));
        var path = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(path))
        {
            var hint = File.Exists(Path.Combine(directory, "adapter_model.bin")) ? " (it holds adapter_model.bin: Hanlin reads only safetensors; save with safe_serialization=True)" : string.Empty;
            throw new HanlinException(ErrorCodes.FileNotFound, $"LoRA adapter directory '{directory}' has no {WeightsFileName}{hint}.");
        }

        using var file = SafetensorsFile.Open(path);
        var pairs = new SortedDictionary<(int, LoraTargetModule), LoraPair>();
        try
        {
            var found = new Dictionary<(int, LoraTargetModule), (string? A, string? B)>();
            foreach (var name in file.Entries.Keys)
            {
                var match = PeftName().Match(name);
                if (!match.Success)
                {
                    throw new HanlinException(ErrorCodes.UnsupportedModel, $"LoRA adapter '{path}' holds tensor '{name}', which is not a lora_A/lora_B of a decoder projection; Hanlin adapts only {string.Join(", ", LoraTargetModuleNames.All.Select(LoraTargetModuleNames.Name))}.");
                }

                var layer = int.Parse(match.Groups["layer"].Value, CultureInfo.InvariantCulture);
                var module = LoraTargetModuleNames.Parse(match.Groups["module"].Value);
                if (LoraTargetModuleNames.Path(module) != match.Groups["path"].Value + "." + match.Groups["module"].Value || !config.Targets(layer, module))
                {
                    throw Corrupt(path, $"tensor '{name}' is not among the modules and layers its adapter_config.json targets");
                }

                var current = found.GetValueOrDefault((layer, module));
                found[(layer, module)] = match.Groups["factor"].Value == "A" ? (name, current.B) : (current.A, name);
            }

            if (found.Count == 0)
            {
                throw Corrupt(path, "it holds no LoRA tensors");
            }

            foreach (var ((layer, module), (aName, bName)) in found)
            {
                if (aName is null || bName is null)
                {
                    throw Corrupt(path, $"layer {layer} {LoraTargetModuleNames.Name(module)} has lora_{(aName is null ? "A" : "B")} missing");
                }

                var a = file.Entries[aName];
                var b = file.Entries[bName];
                if (a.Shape.Count != 2 || b.Shape.Count != 2 || a.Shape[0] != config.Rank || b.Shape[1] != config.Rank)
                {
                    throw Corrupt(path, $"layer {layer} {LoraTargetModuleNames.Name(module)} has lora_A [{string.Join(", ", a.Shape)}] and lora_B [{string.Join(", ", b.Shape)}], which are not [r={config.Rank}, in] and [out, r={config.Rank}]");
                }

                using var scope = NewDisposeScope();
                pairs.Add((layer, module), new LoraPair(Leaf(file.Read(aName, ScalarType.Float32)), Leaf(file.Read(bName, ScalarType.Float32))));
            }
        }
        catch
        {
            DisposeAll(pairs);
            throw;
        }

        return new LoraAdapter(config, pairs);
    }

    /// <summary>
    /// Writes the adapter in the PEFT format to <paramref name="directory"/> (created if needed): <c>adapter_config.json</c>
    /// and fp32 <c>adapter_model.safetensors</c>, each replaced atomically. The same adapter always gives the same bytes.
    /// </summary>
    /// <exception cref="HanlinException"><c>unreadable_file</c> when a file cannot be written.</exception>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Directory.CreateDirectory(directory);
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFileName), NamedParameters, new Dictionary<string, string> { ["format"] = "pt" });
        Config.Save(Path.Combine(directory, LoraConfig.FileName));
    }

    /// <summary>lora_A <c>[r, in]</c> of a projection, or null when it is not adapted. Owned by this adapter.</summary>
    public Tensor? LoraA(int layer, LoraTargetModule module) => _pairs.GetValueOrDefault((layer, module))?.A;

    /// <summary>lora_B <c>[out, r]</c> of a projection, or null when it is not adapted. Owned by this adapter.</summary>
    public Tensor? LoraB(int layer, LoraTargetModule module) => _pairs.GetValueOrDefault((layer, module))?.B;

    /// <summary>The PEFT tensor name of a factor (<paramref name="factor"/> "A" or "B"), e.g. <c>base_model.model.model.layers.3.mlp.down_proj.lora_B.weight</c>.</summary>
    public static string TensorName(int layer, LoraTargetModule module, string factor) =>
        string.Create(CultureInfo.InvariantCulture, $"base_model.model.model.layers.{layer}.{LoraTargetModuleNames.Path(module)}.lora_{factor}.weight");

    /// <summary>Throws <c>invalid_argument</c> unless every adapted projection exists in a model of shape <paramref name="model"/> with matching shapes.</summary>
    public void CheckFits(LlamaConfig model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var ((layer, module), pair) in _pairs)
        {
            if (layer >= model.Layers)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"The LoRA adapter adapts layer {layer}, but model '{source}' has {model.Layers} layers.");
            }

            var (outFeatures, inFeatures) = LoraTargetModuleNames.Shape(module, model);
            if (pair.A.shape[1] != inFeatures || pair.B.shape[0] != outFeatures)
            {
                throw new HanlinException(
                    ErrorCodes.InvalidArgument,
                    $"The LoRA adapter's layer {layer} {LoraTargetModuleNames.Name(module)} maps {pair.A.shape[1]} to {pair.B.shape[0]} features, but model '{source}' has that projection as [{outFeatures}, {inFeatures}]: the adapter was made for another model.");
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeAll(_pairs);
    }

    /// <summary>
    /// <paramref name="output"/> + scaling · B (A dropout(<paramref name="input"/>)) for an adapted projection, else
    /// <paramref name="output"/> unchanged; computed in fp32 (the adapter's type) and returned in the output's type.
    /// Dropout applies only when <paramref name="training"/>. Intermediates join the caller's dispose scope.
    /// </summary>
    internal Tensor Apply(int layer, LoraTargetModule module, Tensor input, Tensor output, bool training)
    {
        if (!_pairs.TryGetValue((layer, module), out var pair))
        {
            return output;
        }

        var x = training && Config.Dropout > 0 ? F.dropout(input, Config.Dropout, training: true) : input; // [.., in]
        if (x.dtype != pair.A.dtype)
        {
            x = x.to(pair.A.dtype);
        }

        // Same order of operations as PEFT's lora_B(lora_A(dropout(x))) * scaling.
        var delta = F.linear(F.linear(x, pair.A), pair.B) * Config.Scaling; // [.., out]
        return output + (delta.dtype == output.dtype ? delta : delta.to(output.dtype));
    }

    /// <summary>scaling · B · A <c>[out, in]</c> in fp32, for merging; joins the caller's dispose scope.</summary>
    internal Tensor Delta(int layer, LoraTargetModule module)
    {
        var pair = _pairs[(layer, module)];
        using var _ = no_grad();
        return pair.B.matmul(pair.A).mul_(Config.Scaling);
    }

    private static Tensor Leaf(Tensor value) => value.detach().requires_grad_(true).DetachFromDisposeScope();

    private static void DisposeAll(SortedDictionary<(int Layer, LoraTargetModule Module), LoraPair> pairs)
    {
        foreach (var pair in pairs.Values)
        {
            pair.A.Dispose();
            pair.B.Dispose();
        }
    }

    private static HanlinException Corrupt(string path, string problem) =>
        new(ErrorCodes.CorruptFile, $"LoRA adapter '{path}' does not match its adapter_config.json: {problem}.");

    // PEFT strips the adapter name ("default") when saving; an unstripped name is accepted too.
    [GeneratedRegex(@"^base_model\.model\.model\.layers\.(?<layer>\d+)\.(?<path>self_attn|mlp)\.(?<module>[a-z_]+)\.lora_(?<factor>[AB])(?:\.default)?\.weight$")]
    private static partial Regex PeftName();
}
