using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using static TorchSharp.torch;

namespace Hanlin.Models.Gguf;

/// <summary>
/// Builds a <see cref="LlamaModel"/> from a GGUF file of architecture <c>llama</c> (Llama 1/2, Mistral, TinyLlama …)
/// or <c>qwen2</c>, dequantising every tensor once into fp32. llama.cpp's converter stores Llama's q/k projections
/// permuted for its interleaved-pairs RoPE, so <c>llama</c> files use <see cref="RopeLayout.InterleavedPairs"/> as
/// stored; <c>qwen2</c> keeps the half-split (NeoX) layout and has q/k/v biases.
/// </summary>
internal static class GgufLlamaLoader
{
    public static LlamaModel Load(string path, IProgress<float>? progress, CancellationToken cancellationToken)
    {
        using var file = GgufFile.Open(path);
        var architecture = file.GetString("general.architecture")
            ?? throw new HanlinException(ErrorCodes.CorruptFile, $"GGUF file '{path}' has no general.architecture.");
        var layout = architecture switch
        {
            "llama" => RopeLayout.InterleavedPairs,
            "qwen2" => RopeLayout.HalfSplit,
            _ => throw new HanlinException(ErrorCodes.UnsupportedModel, $"GGUF file '{path}' is a '{architecture}' model; Hanlin runs GGUF 'llama' and 'qwen2' models."),
        };
        // Llama-3.1-style files carry their RoPE scaling as per-pair frequency factors (rope_freqs.weight), which
        // llama.cpp's converter computed from the llama3 rope_scaling; linear or YaRN scaling (rope.scaling.type) is not applied.
        var hasFrequencyFactors = file.TryGetTensor("rope_freqs.weight", out _);
        if (file.GetString($"{architecture}.rope.scaling.type") is { } scaling && scaling != "none")
        {
            throw new HanlinException(ErrorCodes.UnsupportedModel, $"GGUF file '{path}' uses '{scaling}' RoPE scaling, which Hanlin does not apply to GGUF models yet; load the Hugging Face directory instead.");
        }

        long Int(string key) => file.GetInteger($"{architecture}.{key}")
            ?? throw new HanlinException(ErrorCodes.CorruptFile, $"GGUF file '{path}' lacks metadata '{architecture}.{key}'.");
        var heads = (int)Int("attention.head_count");
        var embedding = file.GetTensor("token_embd.weight");
        var config = new LlamaConfig(
            (int)Int("embedding_length"),
            (int)Int("feed_forward_length"),
            (int)Int("block_count"),
            heads,
            (int)(file.GetInteger($"{architecture}.attention.head_count_kv") ?? heads),
            (int)embedding.Shape[0],
            (int)Int("context_length"))
        {
            NormEpsilon = (float)(file.GetFloat($"{architecture}.attention.layer_norm_rms_epsilon") ?? 1e-5),
            RopeTheta = (float)(file.GetFloat($"{architecture}.rope.freq_base") ?? 10000.0),
            RopeLayout = layout,
            AttentionBias = file.TryGetTensor("blk.0.attn_q.bias", out _),
            TiedClassifier = !file.TryGetTensor("output.weight", out _),
        };
        config.Validate(path);
        if (hasFrequencyFactors)
        {
            config = config with { RopeFrequencyFactors = ReadFrequencyFactors(file, path, config.HeadDim / 2) };
        }

        var owned = new List<Tensor>();
        Tensor Read(string name)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!file.TryGetTensor(name, out _))
            {
                throw new HanlinException(ErrorCodes.CorruptFile, $"GGUF file '{path}' lacks tensor '{name}'.");
            }

            var tensor = file.ReadFp32(name).DetachFromDisposeScope();
            owned.Add(tensor);
            return tensor;
        }

        Tensor? Optional(string name) => file.TryGetTensor(name, out _) ? Read(name) : null;

        try
        {
            var tokenEmbedding = Read("token_embd.weight");
            var layers = new List<LlamaLayerWeights>(config.Layers);
            for (var i = 0; i < config.Layers; i++)
            {
                var p = $"blk.{i}.";
                layers.Add(new LlamaLayerWeights(
                    Read(p + "attn_norm.weight"),
                    Read(p + "attn_q.weight"),
                    Read(p + "attn_k.weight"),
                    Read(p + "attn_v.weight"),
                    Read(p + "attn_output.weight"),
                    Read(p + "ffn_norm.weight"),
                    Read(p + "ffn_gate.weight"),
                    Read(p + "ffn_down.weight"),
                    Read(p + "ffn_up.weight"),
                    Optional(p + "attn_q.bias"),
                    Optional(p + "attn_k.bias"),
                    Optional(p + "attn_v.bias")));
                progress?.Report((i + 1f) / (config.Layers + 1));
            }

            var finalNorm = Read("output_norm.weight");
            var classifier = Optional("output.weight");
            var model = new LlamaModel(config, new LlamaWeights(tokenEmbedding, layers, finalNorm, classifier), path);
            progress?.Report(1f);
            return model;
        }
        catch
        {
            foreach (var tensor in owned)
            {
                tensor.Dispose();
            }

            throw;
        }
    }

    private static float[] ReadFrequencyFactors(GgufFile file, string path, int pairs)
    {
        using var scope = NewDisposeScope();
        var factors = file.ReadFp32("rope_freqs.weight").reshape(-1).data<float>().ToArray();
        if (factors.Length != pairs || Array.Exists(factors, f => !(f > 0) || float.IsInfinity(f)))
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"GGUF file '{path}' has a rope_freqs.weight of {factors.Length} values where {pairs} positive factors (head size / 2) were expected.");
        }

        return factors;
    }
}
