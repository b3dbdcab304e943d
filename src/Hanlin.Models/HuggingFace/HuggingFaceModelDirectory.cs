using Hanlin.Core.Errors;
using Hanlin.Models.Bert;
using Hanlin.Models.Llama;
using Hanlin.Models.Runtime;
using static TorchSharp.torch;

namespace Hanlin.Models.HuggingFace;

/// <summary>
/// A Hugging Face model directory whose <c>config.json</c> (and <c>generation_config.json</c>, when present) has been
/// read and checked, ready to load: <c>model.safetensors</c> or the shards of <c>model.safetensors.index.json</c>,
/// stored as fp32, bf16 or fp16 and converted to the compute precision while being copied out of the mapped files.
/// </summary>
public sealed class HuggingFaceModelDirectory
{
    private static readonly Dictionary<string, HuggingFaceArchitecture> Architectures = new(StringComparer.Ordinal)
    {
        ["LlamaForCausalLM"] = HuggingFaceArchitecture.Llama,
        ["Qwen2ForCausalLM"] = HuggingFaceArchitecture.Qwen2,
        ["MistralForCausalLM"] = HuggingFaceArchitecture.Mistral,
        ["BertModel"] = HuggingFaceArchitecture.Bert,
        ["BertForMaskedLM"] = HuggingFaceArchitecture.Bert,
        ["BertForPreTraining"] = HuggingFaceArchitecture.Bert,
    };

    private static readonly Dictionary<string, HuggingFaceArchitecture> ModelTypes = new(StringComparer.Ordinal)
    {
        ["llama"] = HuggingFaceArchitecture.Llama,
        ["qwen2"] = HuggingFaceArchitecture.Qwen2,
        ["mistral"] = HuggingFaceArchitecture.Mistral,
        ["bert"] = HuggingFaceArchitecture.Bert,
    };

    private HuggingFaceModelDirectory(string path, HuggingFaceArchitecture architecture, LlamaConfig? decoder, BertConfig? encoder, HuggingFaceGenerationConfig generation, IReadOnlyList<string> weightFiles)
    {
        Path = path;
        Architecture = architecture;
        DecoderConfig = decoder;
        EncoderConfig = encoder;
        Generation = generation;
        WeightFiles = weightFiles;
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>The model family, from <c>architectures</c> (or <c>model_type</c>).</summary>
    public HuggingFaceArchitecture Architecture { get; }

    /// <summary>The decoder's shape, for Llama, Qwen2 and Mistral; null for encoders.</summary>
    public LlamaConfig? DecoderConfig { get; }

    /// <summary>The encoder's shape, for BERT; null for decoders.</summary>
    public BertConfig? EncoderConfig { get; }

    /// <summary>Stop tokens and sampling defaults.</summary>
    public HuggingFaceGenerationConfig Generation { get; }

    /// <summary>The safetensors files that hold the weights (shards in index order).</summary>
    public IReadOnlyList<string> WeightFiles { get; }

    /// <summary>
    /// Every tensor Hanlin will read, by Hugging Face name (an encoder's without the <c>bert.</c> prefix of task heads)
    /// with its shape, derived from the configuration alone: no weights are touched.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<long>>> ExpectedTensors =>
        (DecoderConfig is not null ? DecoderCheckpoint.ExpectedTensors(DecoderConfig) : EncoderCheckpoint.ExpectedTensors(EncoderConfig!))
        .Select(t => new KeyValuePair<string, IReadOnlyList<long>>(t.Key, t.Value))
        .ToList();

    /// <summary>Number of parameters Hanlin loads (a tied classifier counted once), from the configuration alone.</summary>
    public long ParameterCount => ExpectedTensors.Sum(t => t.Value.Aggregate(1L, (a, b) => a * b));

    /// <summary>Reads and checks <paramref name="path"/>'s configuration; weights are not touched until a Load call.</summary>
    /// <exception cref="HanlinException">
    /// The directory or <c>config.json</c> is missing (<c>file_not_found</c>), the configuration is malformed (<c>corrupt_file</c>),
    /// or the architecture or one of its options is not implemented (<c>unsupported_model</c>).
    /// </exception>
    public static HuggingFaceModelDirectory Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!Directory.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"Model directory '{path}' does not exist.");
        }

        var config = ConfigJson.Load(System.IO.Path.Combine(path, "config.json"));
        var architecture = ReadArchitecture(config);
        var generation = HuggingFaceGenerationConfig.Read(ConfigJson.LoadIfExists(System.IO.Path.Combine(path, "generation_config.json")), config);
        return architecture == HuggingFaceArchitecture.Bert
            ? new HuggingFaceModelDirectory(path, architecture, null, EncoderCheckpoint.ReadConfig(config), generation, SafetensorsWeightSet.Locate(path))
            : new HuggingFaceModelDirectory(path, architecture, DecoderCheckpoint.ReadConfig(config, architecture), null, generation, SafetensorsWeightSet.Locate(path));
    }

    /// <summary>
    /// Loads the decoder (Llama, Qwen2, Mistral) in <paramref name="dtype"/> (Float32 or BFloat16) off the caller's thread,
    /// reporting progress in [0, 1] by bytes read and honouring cancellation between tensors (nothing stays allocated).
    /// </summary>
    /// <exception cref="HanlinException">A weight file or tensor is missing or inconsistent, or the directory holds an encoder.</exception>
    public Task<LlamaModel> LoadDecoderAsync(ScalarType dtype = ScalarType.Float32, IProgress<float>? progress = null, CancellationToken cancellationToken = default)
    {
        var config = DecoderConfig ?? throw new HanlinException(ErrorCodes.UnsupportedModel, $"Model directory '{Path}' holds a {Architecture} encoder, not a text generator.");
        CheckDType(dtype);
        return Task.Run(
            () =>
            {
                using var weights = SafetensorsWeightSet.Open(Path);
                return DecoderCheckpoint.Load(weights, config, Path, dtype, progress, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>Loads the BERT encoder in <paramref name="dtype"/> (Float32 or BFloat16), as <see cref="LoadDecoderAsync"/> does.</summary>
    /// <exception cref="HanlinException">A weight file or tensor is missing or inconsistent, or the directory holds a decoder.</exception>
    public Task<BertModel> LoadEncoderAsync(ScalarType dtype = ScalarType.Float32, IProgress<float>? progress = null, CancellationToken cancellationToken = default)
    {
        var config = EncoderConfig ?? throw new HanlinException(ErrorCodes.UnsupportedModel, $"Model directory '{Path}' holds a {Architecture} decoder, not an encoder.");
        CheckDType(dtype);
        return Task.Run(
            () =>
            {
                using var weights = SafetensorsWeightSet.Open(Path);
                return EncoderCheckpoint.Load(weights, config, Path, dtype, progress, cancellationToken);
            },
            cancellationToken);
    }

    private static void CheckDType(ScalarType dtype)
    {
        TorchRuntime.EnsureLoaded();
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Compute precision {dtype} is not supported; use Float32 or BFloat16 (fp16 is 5-8x slower on CPU).");
        }
    }

    private static HuggingFaceArchitecture ReadArchitecture(ConfigJson config)
    {
        var names = config.Strings("architectures");
        foreach (var name in names)
        {
            if (Architectures.TryGetValue(name, out var known))
            {
                return known;
            }
        }

        var modelType = config.String("model_type");
        if (names.Count == 0 && modelType is not null && ModelTypes.TryGetValue(modelType, out var byType))
        {
            return byType;
        }

        var described = names.Count > 0 ? $"architecture {string.Join(", ", names)}" : $"model_type '{modelType ?? "(none)"}'";
        throw new HanlinException(
            ErrorCodes.UnsupportedModel,
            $"'{config.Path}' describes {described}; Hanlin runs {string.Join(", ", Architectures.Keys)}.");
    }
}
