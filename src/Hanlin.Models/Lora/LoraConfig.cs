using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using Hanlin.Models.Safetensors;

namespace Hanlin.Models.Lora;

/// <summary>
/// Hyperparameters of a LoRA adapter, as PEFT's <c>LoraConfig</c> stores them in <c>adapter_config.json</c>: each targeted
/// projection <c>y = W x</c> becomes <c>y = W x + scaling · B (A dropout(x))</c> with A <c>[r, in]</c> and B <c>[out, r]</c>.
/// </summary>
/// <param name="Rank">r, the inner width of the update; at most min(in, out) of every targeted projection.</param>
/// <param name="Alpha">lora_alpha; the update is scaled by alpha / r (alpha / √r with <see cref="UseRsLora"/>).</param>
public sealed record LoraConfig(int Rank, double Alpha)
{
    /// <summary>The file name PEFT reads and writes.</summary>
    public const string FileName = "adapter_config.json";

    /// <summary>Dropout probability on the adapter's input while training (0 = none).</summary>
    public double Dropout { get; init; }

    /// <summary>The projections adapted in every transformed layer (default: all seven).</summary>
    public IReadOnlyList<LoraTargetModule> TargetModules { get; init; } = LoraTargetModuleNames.All;

    /// <summary>The decoder layers adapted (0-based), or null for every layer.</summary>
    public IReadOnlyList<int>? LayersToTransform { get; init; }

    /// <summary>Rank-stabilised LoRA: scaling alpha / √r instead of alpha / r.</summary>
    public bool UseRsLora { get; init; }

    /// <summary>The base model the adapter belongs to, as PEFT records it (a hub id or a path); informational.</summary>
    public string? BaseModelNameOrPath { get; init; }

    /// <summary>The factor the update B·A is multiplied by.</summary>
    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>Whether layer <paramref name="layer"/>'s <paramref name="module"/> is adapted.</summary>
    public bool Targets(int layer, LoraTargetModule module) =>
        TargetModules.Contains(module) && (LayersToTransform is null || LayersToTransform.Contains(layer));

    /// <summary>Checks the numbers alone (positive rank and alpha, dropout in [0, 1), at least one target module, no repeats).</summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> naming the bad value.</exception>
    public void Validate()
    {
        string? problem = null;
        if (Rank <= 0)
        {
            problem = $"rank r = {Rank} must be positive";
        }
        else if (!(Alpha > 0) || double.IsInfinity(Alpha))
        {
            problem = $"lora_alpha = {Alpha} must be a positive number";
        }
        else if (!(Dropout >= 0 && Dropout < 1))
        {
            problem = $"lora_dropout = {Dropout} must lie in [0, 1)";
        }
        else if (TargetModules.Count == 0)
        {
            problem = "no target modules are given";
        }
        else if (TargetModules.Distinct().Count() != TargetModules.Count)
        {
            problem = "a target module is listed twice";
        }
        else if (LayersToTransform is { } layers && (layers.Count == 0 || layers.Any(l => l < 0) || layers.Distinct().Count() != layers.Count))
        {
            problem = "layers_to_transform must be distinct non-negative layer indices";
        }

        if (problem is not null)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"LoRA configuration is invalid: {problem}.");
        }
    }

    /// <summary>Checks that the adapter fits a model of shape <paramref name="model"/> (named <paramref name="source"/> in errors).</summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c>: a layer beyond the model, or a rank larger than a targeted projection.</exception>
    public void Validate(LlamaConfig model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        Validate();
        if (LayersToTransform?.FirstOrDefault(l => l >= model.Layers, -1) is >= 0 and var layer)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"LoRA layers_to_transform names layer {layer}, but model '{source}' has {model.Layers} layers (0..{model.Layers - 1}).");
        }

        foreach (var module in TargetModules)
        {
            var (outFeatures, inFeatures) = LoraTargetModuleNames.Shape(module, model);
            if (Rank > Math.Min(outFeatures, inFeatures))
            {
                throw new HanlinException(
                    ErrorCodes.InvalidArgument,
                    $"LoRA rank {Rank} is larger than {LoraTargetModuleNames.Name(module)} of model '{source}' allows: the projection is [{outFeatures}, {inFeatures}], so the rank can be at most {Math.Min(outFeatures, inFeatures)}.");
            }
        }
    }

    /// <summary>Reads a PEFT <c>adapter_config.json</c> (of <c>peft_type</c> LORA).</summary>
    /// <exception cref="HanlinException">
    /// <c>file_not_found</c>; <c>corrupt_file</c> for malformed JSON or missing fields; <c>unsupported_model</c> for PEFT
    /// options Hanlin does not implement (DoRA, biases, per-module ranks, extra trained modules, fan_in_fan_out);
    /// <c>invalid_argument</c> for unknown target modules or invalid numbers.
    /// </exception>
    public static LoraConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"LoRA adapter configuration '{path}' does not exist.");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"LoRA adapter configuration '{path}' is not valid JSON: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"LoRA adapter configuration '{path}' could not be read: {ex.Message}", ex);
        }

        try
        {
            return Parse(root, path);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"LoRA adapter configuration '{path}' has a field of the wrong type: {ex.Message}", ex);
        }
    }

    /// <summary>Writes this configuration as a PEFT <c>adapter_config.json</c> (task CAUSAL_LM), atomically.</summary>
    /// <exception cref="HanlinException"><c>unreadable_file</c> when the file cannot be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Validate();
        AtomicFile.Write(path, stream =>
        {
            // Keys in sorted order, as PEFT itself writes them; only fields whose defaults differ between PEFT versions
            // or that Hanlin's adapters depend on are written, and PEFT fills in the rest.
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            if (BaseModelNameOrPath is null)
            {
                json.WriteNull("base_model_name_or_path");
            }
            else
            {
                json.WriteString("base_model_name_or_path", BaseModelNameOrPath);
            }

            json.WriteString("bias", "none");
            json.WriteBoolean("fan_in_fan_out", false);
            json.WriteBoolean("inference_mode", true);
            json.WriteBoolean("init_lora_weights", true);
            json.WritePropertyName("layers_to_transform");
            if (LayersToTransform is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteStartArray();
                foreach (var layer in LayersToTransform.Order())
                {
                    json.WriteNumberValue(layer);
                }

                json.WriteEndArray();
            }

            if (Alpha == Math.Floor(Alpha) && Math.Abs(Alpha) < 1e15)
            {
                json.WriteNumber("lora_alpha", (long)Alpha);
            }
            else
            {
                json.WriteNumber("lora_alpha", Alpha);
            }

            json.WriteNumber("lora_dropout", Dropout);
            json.WriteNull("modules_to_save");
            json.WriteString("peft_type", "LORA");
            json.WriteNumber("r", Rank);
            json.WriteStartArray("target_modules");
            foreach (var module in LoraTargetModuleNames.All.Where(TargetModules.Contains))
            {
                json.WriteStringValue(LoraTargetModuleNames.Name(module));
            }

            json.WriteEndArray();
            json.WriteString("task_type", "CAUSAL_LM");
            json.WriteBoolean("use_dora", false);
            json.WriteBoolean("use_rslora", UseRsLora);
            json.WriteEndObject();
        });
    }

    private static LoraConfig Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"LoRA adapter configuration '{path}' is not a JSON object.");
        }

        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        bool Flag(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        bool Present(string name) => root.TryGetProperty(name, out var v) && v.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.Object => v.EnumerateObject().Any(),
            JsonValueKind.Array => v.GetArrayLength() > 0,
            _ => true,
        };
        HanlinException Unsupported(string what) =>
            new(ErrorCodes.UnsupportedModel, $"LoRA adapter configuration '{path}' uses {what}, which Hanlin does not implement.");

        var type = Text("peft_type");
        if (type != "LORA")
        {
            throw Unsupported($"peft_type \"{type ?? "(none)"}\" (only LORA)");
        }

        var task = Text("task_type");
        if (task is not null and not "CAUSAL_LM")
        {
            throw Unsupported($"task_type \"{task}\" (only CAUSAL_LM)");
        }

        var bias = Text("bias") ?? "none";
        if (bias != "none")
        {
            throw Unsupported($"bias \"{bias}\" (only none)");
        }

        foreach (var flag in new[] { "fan_in_fan_out", "use_dora", "lora_bias" })
        {
            if (Flag(flag))
            {
                throw Unsupported($"{flag}: true");
            }
        }

        foreach (var option in new[] { "rank_pattern", "alpha_pattern", "modules_to_save", "layer_replication", "exclude_modules", "trainable_token_indices", "target_parameters" })
        {
            if (Present(option))
            {
                throw Unsupported($"\"{option}\"");
            }
        }

        if (!root.TryGetProperty("r", out var r) || r.ValueKind != JsonValueKind.Number)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"LoRA adapter configuration '{path}' has no rank \"r\".");
        }

        var alpha = root.TryGetProperty("lora_alpha", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 8.0; // PEFT's default
        var dropout = root.TryGetProperty("lora_dropout", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : 0.0;
        var config = new LoraConfig(r.GetInt32(), alpha)
        {
            Dropout = dropout,
            TargetModules = ReadTargets(root, path),
            LayersToTransform = ReadLayers(root),
            UseRsLora = Flag("use_rslora"),
            BaseModelNameOrPath = Text("base_model_name_or_path"),
        };
        config.Validate();
        return config;
    }

    private static List<LoraTargetModule> ReadTargets(JsonElement root, string path)
    {
        if (!root.TryGetProperty("target_modules", out var targets) || targets.ValueKind == JsonValueKind.Null)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"LoRA adapter configuration '{path}' has no target_modules.");
        }

        // PEFT also accepts a single string: "all-linear" (every projection but the classifier) or a regular expression.
        if (targets.ValueKind == JsonValueKind.String)
        {
            var text = targets.GetString();
            return text == "all-linear"
                ? [.. LoraTargetModuleNames.All]
                : throw new HanlinException(ErrorCodes.UnsupportedModel, $"LoRA adapter configuration '{path}' gives target_modules as the pattern \"{text}\"; Hanlin reads a list of module names or \"all-linear\".");
        }

        return [.. targets.EnumerateArray().Select(t => LoraTargetModuleNames.Parse(t.GetString() ?? string.Empty)).Distinct()];
    }

    private static List<int>? ReadLayers(JsonElement root) =>
        !root.TryGetProperty("layers_to_transform", out var layers) ? null : layers.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number => [layers.GetInt32()],
            _ => [.. layers.EnumerateArray().Select(l => l.GetInt32())],
        };
}
