using System.Text.Json;
using System.Text.Json.Nodes;
using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using Hanlin.Models.Safetensors;
using static TorchSharp.torch;

namespace Hanlin.Models.HuggingFace;

/// <summary>
/// Writes a <see cref="LlamaModel"/>'s weights as a Hugging Face decoder directory (the inverse of
/// <see cref="DecoderCheckpoint"/>): <c>config.json</c> and one <c>model.safetensors</c> in the model's element type.
/// </summary>
internal static class HuggingFaceCheckpointWriter
{
    // Files of a source directory that describe tokenisation, chat formatting and generation, not weights.
    private static readonly string[] CompanionFiles =
    [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model", "vocab.json", "merges.txt",
        "added_tokens.json", "generation_config.json", "chat_template.jinja", "chat_template.json",
    ];

    public static void Save(LlamaConfig config, LlamaWeights weights, string source, string directory, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Cannot save the model into '{directory}': the directory is not empty (stale weight files there would be loaded with the new ones).");
        }

        var sourceConfig = Path.Combine(source, "config.json");
        var fromHuggingFace = Directory.Exists(source) && File.Exists(sourceConfig);
        if (!fromHuggingFace && config.RopeFrequencyFactors is not null && config.RopeScaling is null)
        {
            // A config.json without them would load as a model with plain RoPE: every position past the short range
            // would be rotated wrongly, silently. Refuse rather than write a model that answers differently.
            throw new HanlinException(
                ErrorCodes.UnsupportedModel,
                $"Cannot save '{source}' as a Hugging Face model: its per-dimension RoPE frequency factors (GGUF rope_freqs.weight) have no rope_scaling that config.json could carry. Use the Hugging Face release of the model as the base instead.");
        }

        Directory.CreateDirectory(directory);
        var dtype = weights.TokenEmbedding.dtype;
        var json = fromHuggingFace ? SourceConfig(sourceConfig, dtype) : NewConfig(config, dtype);
        cancellationToken.ThrowIfCancellationRequested();

        using (var scope = NewDisposeScope())
        {
            SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), Tensors(config, weights), new Dictionary<string, string> { ["format"] = "pt" });
        }

        cancellationToken.ThrowIfCancellationRequested();
        AtomicFile.Write(Path.Combine(directory, "config.json"), stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteTo(writer);
        });

        if (fromHuggingFace)
        {
            foreach (var name in CompanionFiles.Where(n => File.Exists(Path.Combine(source, n))))
            {
                var bytes = File.ReadAllBytes(Path.Combine(source, name));
                AtomicFile.Write(Path.Combine(directory, name), stream => stream.Write(bytes));
            }
        }
    }

    /// <summary>The tensors by Hugging Face name; q/k rows reordered to the half-split RoPE layout when the model pairs them interleaved.</summary>
    private static IEnumerable<KeyValuePair<string, Tensor>> Tensors(LlamaConfig config, LlamaWeights weights)
    {
        var interleaved = config.RopeLayout == RopeLayout.InterleavedPairs;

        // Interleaved row 2j+c of a head is half-split row c·headDim/2 + j. Called inside the caller's dispose scope.
        Tensor HalfSplit(Tensor t, int heads) => !interleaved ? t
            : t.dim() == 2
                ? t.view(heads, config.HeadDim / 2, 2, t.shape[1]).transpose(1, 2).reshape(t.shape[0], t.shape[1])
                : t.view(heads, config.HeadDim / 2, 2).transpose(1, 2).reshape(t.shape[0]);

        yield return new("model.embed_tokens.weight", weights.TokenEmbedding);
        for (var i = 0; i < config.Layers; i++)
        {
            var p = $"model.layers.{i}.";
            var w = weights.Layers[i];
            yield return new(p + "input_layernorm.weight", w.AttentionNorm);
            yield return new(p + "self_attn.q_proj.weight", HalfSplit(w.Wq, config.Heads));
            yield return new(p + "self_attn.k_proj.weight", HalfSplit(w.Wk, config.KvHeads));
            yield return new(p + "self_attn.v_proj.weight", w.Wv);
            if (w.Bq is not null && w.Bk is not null && w.Bv is not null)
            {
                yield return new(p + "self_attn.q_proj.bias", HalfSplit(w.Bq, config.Heads));
                yield return new(p + "self_attn.k_proj.bias", HalfSplit(w.Bk, config.KvHeads));
                yield return new(p + "self_attn.v_proj.bias", w.Bv);
            }

            yield return new(p + "self_attn.o_proj.weight", w.Wo);
            yield return new(p + "post_attention_layernorm.weight", w.FfnNorm);
            yield return new(p + "mlp.gate_proj.weight", w.W1);
            yield return new(p + "mlp.up_proj.weight", w.W3);
            yield return new(p + "mlp.down_proj.weight", w.W2);
        }

        yield return new("model.norm.weight", weights.FinalNorm);
        if (!ReferenceEquals(weights.Classifier, weights.TokenEmbedding))
        {
            yield return new("lm_head.weight", weights.Classifier);
        }
    }

    private static string DTypeName(ScalarType dtype) => dtype == ScalarType.BFloat16 ? "bfloat16" : "float32";

    private static JsonObject SourceConfig(string path, ScalarType dtype)
    {
        var json = JsonNode.Parse(File.ReadAllBytes(path))?.AsObject()
            ?? throw new HanlinException(ErrorCodes.CorruptFile, $"'{path}' is not a JSON object.");
        json["dtype"] = DTypeName(dtype); // transformers >= 5; earlier versions read torch_dtype
        if (json.ContainsKey("torch_dtype"))
        {
            json["torch_dtype"] = DTypeName(dtype);
        }

        return json;
    }

    private static JsonObject NewConfig(LlamaConfig config, ScalarType dtype)
    {
        // A q/k/v bias without an o_proj bias is Qwen2's block; Llama's attention_bias would add one to o_proj too.
        var qwen2 = config.AttentionBias;
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(qwen2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM"),
            ["model_type"] = qwen2 ? "qwen2" : "llama",
            ["hidden_size"] = config.Dim,
            ["intermediate_size"] = config.HiddenDim,
            ["num_hidden_layers"] = config.Layers,
            ["num_attention_heads"] = config.Heads,
            ["num_key_value_heads"] = config.KvHeads,
            ["head_dim"] = config.HeadDim,
            ["vocab_size"] = config.VocabSize,
            ["max_position_embeddings"] = config.MaxSequenceLength,
            ["rms_norm_eps"] = config.NormEpsilon,
            ["rope_theta"] = config.RopeTheta,
            ["hidden_act"] = "silu",
            ["tie_word_embeddings"] = config.TiedClassifier,
            ["dtype"] = DTypeName(dtype),
        };
        if (qwen2)
        {
            json["use_sliding_window"] = false;
        }
        else
        {
            json["attention_bias"] = false;
            json["mlp_bias"] = false;
        }

        if (config.RopeScaling is { } scaling)
        {
            json["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = "llama3",
                ["factor"] = scaling.Factor,
                ["low_freq_factor"] = scaling.LowFrequencyFactor,
                ["high_freq_factor"] = scaling.HighFrequencyFactor,
                ["original_max_position_embeddings"] = scaling.OriginalMaxPositionEmbeddings,
            };
        }

        return json;
    }
}
