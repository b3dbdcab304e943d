using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using static TorchSharp.torch;

namespace Hanlin.Models.HuggingFace;

/// <summary>
/// Maps Hugging Face <c>LlamaForCausalLM</c>, <c>Qwen2ForCausalLM</c> and <c>MistralForCausalLM</c> configurations and
/// tensor names onto <see cref="LlamaModel"/>. The three share one block (RMSNorm, RoPE in the half-split layout,
/// grouped-query attention, SwiGLU); they differ in q/k/v bias (Qwen2) and RoPE scaling (Llama 3).
/// </summary>
internal static class DecoderCheckpoint
{
    public static LlamaConfig ReadConfig(ConfigJson json, HuggingFaceArchitecture architecture)
    {
        var heads = json.RequiredInt("num_attention_heads");
        var dim = json.RequiredInt("hidden_size");
        var activation = json.String("hidden_act") ?? "silu";
        if (activation != "silu")
        {
            throw Unsupported(json, $"hidden_act \"{activation}\" (only silu)");
        }

        if (json.Bool("mlp_bias") == true)
        {
            throw Unsupported(json, "mlp_bias: true");
        }

        if (json.Int("head_dim") is { } headDim && heads > 0 && headDim != dim / heads)
        {
            throw Unsupported(json, $"head_dim {headDim} different from hidden_size / num_attention_heads = {dim / heads}");
        }

        var (theta, scaling) = ReadRope(json);
        var context = json.RequiredInt("max_position_embeddings");

        // Hanlin attends over the whole cache. A sliding window (Mistral v0.1, Qwen2 with use_sliding_window) only
        // changes the result for sequences longer than the window, so the context is capped at the window: within it
        // full attention is exactly what transformers computes.
        var window = architecture switch
        {
            HuggingFaceArchitecture.Mistral => json.Int("sliding_window"),
            HuggingFaceArchitecture.Qwen2 when json.Bool("use_sliding_window") == true => json.Int("sliding_window"),
            _ => null,
        };
        if (window is > 0 && window < context)
        {
            context = window.Value;
        }

        var config = new LlamaConfig(
            dim,
            json.RequiredInt("intermediate_size"),
            json.RequiredInt("num_hidden_layers"),
            heads,
            json.Int("num_key_value_heads") ?? heads,
            json.RequiredInt("vocab_size"),
            context)
        {
            NormEpsilon = (float)(json.Number("rms_norm_eps") ?? 1e-6),
            RopeTheta = theta,
            RopeScaling = scaling,
            RopeLayout = RopeLayout.HalfSplit,
            AttentionBias = architecture == HuggingFaceArchitecture.Qwen2 || json.Bool("attention_bias") == true,
            TiedClassifier = json.Bool("tie_word_embeddings") ?? false,
        };
        config.Validate(json.Path);
        return config;
    }

    /// <summary>Every tensor the configuration implies, by Hugging Face name, with its shape, in load order.</summary>
    public static IReadOnlyList<KeyValuePair<string, long[]>> ExpectedTensors(LlamaConfig config)
    {
        var (dim, hidden, kv, vocab) = (config.Dim, config.HiddenDim, config.KvDim, config.VocabSize);
        var result = new List<KeyValuePair<string, long[]>>();
        void Add(string name, params long[] shape) => result.Add(new(name, shape));
        Add("model.embed_tokens.weight", vocab, dim);
        for (var i = 0; i < config.Layers; i++)
        {
            var p = $"model.layers.{i}.";
            Add(p + "input_layernorm.weight", dim);
            Add(p + "self_attn.q_proj.weight", dim, dim);
            Add(p + "self_attn.k_proj.weight", kv, dim);
            Add(p + "self_attn.v_proj.weight", kv, dim);
            if (config.AttentionBias)
            {
                Add(p + "self_attn.q_proj.bias", dim);
                Add(p + "self_attn.k_proj.bias", kv);
                Add(p + "self_attn.v_proj.bias", kv);
            }

            Add(p + "self_attn.o_proj.weight", dim, dim);
            Add(p + "post_attention_layernorm.weight", dim);
            Add(p + "mlp.gate_proj.weight", hidden, dim);
            Add(p + "mlp.up_proj.weight", hidden, dim);
            Add(p + "mlp.down_proj.weight", dim, hidden);
        }

        Add("model.norm.weight", dim);
        if (!config.TiedClassifier)
        {
            Add("lm_head.weight", vocab, dim);
        }

        return result;
    }

    public static LlamaModel Load(
        SafetensorsWeightSet weights, LlamaConfig config, string source, ScalarType dtype, IProgress<float>? progress, CancellationToken cancellationToken)
    {
        var tensors = CheckpointReader.ReadAll(weights, ExpectedTensors(config), string.Empty, dtype, progress, cancellationToken);
        try
        {
            var layers = new List<LlamaLayerWeights>();
            for (var i = 0; i < config.Layers; i++)
            {
                var p = $"model.layers.{i}.";
                layers.Add(new LlamaLayerWeights(
                    tensors[p + "input_layernorm.weight"],
                    tensors[p + "self_attn.q_proj.weight"],
                    tensors[p + "self_attn.k_proj.weight"],
                    tensors[p + "self_attn.v_proj.weight"],
                    tensors[p + "self_attn.o_proj.weight"],
                    tensors[p + "post_attention_layernorm.weight"],
                    tensors[p + "mlp.gate_proj.weight"],
                    tensors[p + "mlp.down_proj.weight"],
                    tensors[p + "mlp.up_proj.weight"],
                    tensors.GetValueOrDefault(p + "self_attn.q_proj.bias"),
                    tensors.GetValueOrDefault(p + "self_attn.k_proj.bias"),
                    tensors.GetValueOrDefault(p + "self_attn.v_proj.bias")));
            }

            var classifier = config.TiedClassifier ? null : tensors["lm_head.weight"];
            return new LlamaModel(config, new LlamaWeights(tensors["model.embed_tokens.weight"], layers, tensors["model.norm.weight"], classifier), source);
        }
        catch
        {
            CheckpointReader.DisposeAll(tensors);
            throw;
        }
    }

    private static (float Theta, Llama3RopeScaling? Scaling) ReadRope(ConfigJson json)
    {
        // transformers >= 5 writes rope_parameters {rope_type, rope_theta, ...}; earlier versions (and most published
        // checkpoints) write rope_theta and rope_scaling at the top level.
        var parameters = json.Object("rope_parameters");
        var scaling = parameters ?? json.Object("rope_scaling");
        var theta = (float)(parameters?.Number("rope_theta") ?? json.Number("rope_theta") ?? 10000.0);
        var type = scaling?.String("rope_type") ?? scaling?.String("type") ?? "default";
        return type switch
        {
            "default" => (theta, null),
            "llama3" => (theta, new Llama3RopeScaling(
                (float)(scaling!.Number("factor") ?? throw scaling.Missing("rope_scaling.factor", "a number")),
                (float)(scaling.Number("low_freq_factor") ?? throw scaling.Missing("rope_scaling.low_freq_factor", "a number")),
                (float)(scaling.Number("high_freq_factor") ?? throw scaling.Missing("rope_scaling.high_freq_factor", "a number")),
                scaling.Int("original_max_position_embeddings") ?? throw scaling.Missing("rope_scaling.original_max_position_embeddings", "an integer"))),
            _ => throw Unsupported(json, $"RoPE scaling type \"{type}\" (only llama3 scaling or none)"),
        };
    }

    private static HanlinException Unsupported(ConfigJson json, string what) =>
        new(ErrorCodes.UnsupportedModel, $"'{json.Path}' asks for {what}, which Hanlin does not implement.");
}
