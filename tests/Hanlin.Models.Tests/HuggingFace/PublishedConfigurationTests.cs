using Hanlin.Models.HuggingFace;
using Hanlin.Models.Llama;

namespace Hanlin.Models.Tests.HuggingFace;

/// <summary>
/// The configurations of real published checkpoints (their config.json fields as published) map to the tensor names,
/// shapes and parameter counts those checkpoints have, without allocating any weights.
/// </summary>
public sealed class PublishedConfigurationTests
{
    [Fact]
    public void Qwen2_5_0_5B_has_its_published_494M_parameters_with_qkv_bias_and_tied_embeddings()
    {
        using var temp = new TempDirectory();
        var directory = Open(temp, """
            {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu", "hidden_size": 896,
             "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 21, "num_attention_heads": 14,
             "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
             "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_sliding_window": false,
             "vocab_size": 151936, "bos_token_id": 151643, "eos_token_id": 151643}
            """);

        Assert.Equal(494_032_768, directory.ParameterCount);
        var tensors = directory.ExpectedTensors.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal([128L], tensors["model.layers.23.self_attn.k_proj.bias"]);
        Assert.Equal([4864L, 896], tensors["model.layers.0.mlp.gate_proj.weight"]);
        Assert.DoesNotContain("lm_head.weight", tensors.Keys);
        Assert.Equal(32768, directory.DecoderConfig!.MaxSequenceLength);
    }

    [Fact]
    public void Qwen2_5_7B_has_its_published_7_6B_parameters()
    {
        using var temp = new TempDirectory();
        var directory = Open(temp, """
            {"architectures": ["Qwen2ForCausalLM"], "hidden_act": "silu", "hidden_size": 3584, "intermediate_size": 18944,
             "max_position_embeddings": 131072, "num_attention_heads": 28, "num_hidden_layers": 28, "num_key_value_heads": 4,
             "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 131072, "tie_word_embeddings": false,
             "use_sliding_window": false, "vocab_size": 152064, "model_type": "qwen2"}
            """);

        Assert.Equal(7_615_616_512, directory.ParameterCount);
        Assert.Equal([152064L, 3584], directory.ExpectedTensors.Single(t => t.Key == "lm_head.weight").Value);
    }

    [Fact]
    public void Llama_3_1_8B_has_its_published_8B_parameters_and_llama3_rope_scaling()
    {
        using var temp = new TempDirectory();
        var directory = Open(temp, """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000,
             "eos_token_id": [128001, 128008, 128009], "hidden_act": "silu", "hidden_size": 4096, "intermediate_size": 14336,
             "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32,
             "num_hidden_layers": 32, "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
             "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"},
             "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256}
            """);

        Assert.Equal(8_030_261_248, directory.ParameterCount);
        Assert.Equal([1024L, 4096], directory.ExpectedTensors.Single(t => t.Key == "model.layers.31.self_attn.v_proj.weight").Value);
        Assert.Equal(new Llama3RopeScaling(8, 1, 4, 8192), directory.DecoderConfig!.RopeScaling);
        Assert.Equal([128001, 128008, 128009], directory.Generation.EosTokenIds);
    }

    [Fact]
    public void Mistral_7B_v0_1_has_its_published_7_2B_parameters_and_a_context_capped_at_its_sliding_window()
    {
        using var temp = new TempDirectory();
        var directory = Open(temp, """
            {"architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
             "hidden_size": 4096, "intermediate_size": 14336, "max_position_embeddings": 32768, "model_type": "mistral",
             "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
             "rope_theta": 10000.0, "sliding_window": 4096, "tie_word_embeddings": false, "vocab_size": 32000}
            """);

        Assert.Equal(7_241_732_096, directory.ParameterCount);
        Assert.Equal(4096, directory.DecoderConfig!.MaxSequenceLength);
    }

    [Fact]
    public void Bge_small_zh_maps_to_a_four_layer_bert_encoder()
    {
        using var temp = new TempDirectory();
        var directory = Open(temp, """
            {"architectures": ["BertModel"], "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu", "hidden_size": 512,
             "initializer_range": 0.02, "intermediate_size": 2048, "layer_norm_eps": 1e-12, "max_position_embeddings": 512,
             "model_type": "bert", "num_attention_heads": 8, "num_hidden_layers": 4, "pad_token_id": 0,
             "position_embedding_type": "absolute", "type_vocab_size": 2, "vocab_size": 21128}
            """);

        Assert.Equal(HuggingFaceArchitecture.Bert, directory.Architecture);
        var tensors = directory.ExpectedTensors.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal([21128L, 512], tensors["embeddings.word_embeddings.weight"]);
        Assert.Equal([2048L, 512], tensors["encoder.layer.3.intermediate.dense.weight"]);
        Assert.Equal(4 * 16 + 5, tensors.Count);
        // 24M published, which includes the 262,656-parameter pooler that embeddings do not use.
        Assert.Equal(23_953_920 - 262_656, directory.ParameterCount);
    }

    private static HuggingFaceModelDirectory Open(TempDirectory temp, string config)
    {
        temp.Write("config.json", config);
        temp.Write("model.safetensors", []); // present but never opened: only the configuration is read
        return HuggingFaceModelDirectory.Open(temp.Path);
    }
}
