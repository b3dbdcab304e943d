using Hanlin.Core.Errors;
using Hanlin.Models.Generation;
using Hanlin.Models.Gguf;
using Hanlin.Models.Llama;
using Hanlin.Models.Tokenization;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Gguf;

public sealed class GgufModelTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_llama_gguf_written_from_stories260K_reproduces_its_reference_generations()
    {
        using var source = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        var path = WriteGguf(source, _temp.File("stories260K.gguf"));

        using var model = await LlamaModel.LoadGgufAsync(path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(source.Config.Dim, model.Config.Dim);
        Assert.Equal(source.ParameterCount, model.ParameterCount);
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer, model.Config.VocabSize);
        var generator = new TextGenerator(model);
        foreach (var testCase in Stories260K.References().GetProperty("generation_cases").EnumerateArray())
        {
            var prompt = tokenizer.Encode(testCase.GetProperty("prompt").GetString()!);
            var maxNewTokens = testCase.GetProperty("llama2c_steps").GetInt32() - prompt.Count + 1;
            Assert.Equal(
                Stories260K.Ints(testCase.GetProperty("generated_token_ids_after_prompt")),
                generator.Generate(prompt, maxNewTokens, new HashSet<int> { tokenizer.BosId }));
        }
    }

    [Fact]
    public async Task A_llama_gguf_with_rope_frequency_factors_computes_what_the_llama3_scaling_they_encode_computes()
    {
        // Head size 16 with an original context of 32: pair 0 keeps its frequency, pair 1 is interpolated, the rest
        // are divided by 8, so every branch of the llama3 scaling is in the factors.
        var scaling = new Llama3RopeScaling(8, 1, 4, 32);
        using var source = LlamaModel.CreateRandom(new LlamaConfig(64, 128, 2, 4, 2, 100, 64) { RopeScaling = scaling }, seed: 4);
        var c = source.Config;
        var factors = Enumerable.Range(0, c.HeadDim / 2).Select(j =>
        {
            var frequency = 1f / MathF.Pow(c.RopeTheta, 2 * j / (float)c.HeadDim);
            return frequency / scaling.Scale(frequency); // llama.cpp's convert_hf_to_gguf.py: rope_factors = 1 / scaled share
        }).ToArray();
        Assert.Contains(factors, f => f == 1f);
        Assert.Contains(factors, f => f > 1.5f && f < 7.5f);
        Assert.Contains(factors, f => Math.Abs(f - 8f) < 1e-4f);
        var path = WriteGguf(source, _temp.File("llama31.gguf"), ropeFrequencyFactors: factors);

        using var model = await LlamaModel.LoadGgufAsync(path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(model.Config.RopeScaling);
        Assert.Equal(factors, model.Config.RopeFrequencyFactors);
        using var scope = NewDisposeScope();
        var tokens = tensor(Enumerable.Range(0, 48).Select(i => (long)((i * 37) % 100)).ToArray(), 1, 48);
        using var cacheA = source.CreateCache();
        using var cacheB = model.CreateCache();
        var expected = source.Forward(tokens, 0, cacheA);
        var actual = model.Forward(tokens, 0, cacheB);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-5), $"max difference {(expected - actual).abs().max().item<float>()}");
    }

    [Fact]
    public async Task A_gguf_with_rope_frequency_factors_is_not_saved_as_a_hugging_face_model_that_would_lose_them()
    {
        using var source = LlamaModel.CreateRandom(new LlamaConfig(64, 128, 2, 4, 2, 100, 64), seed: 5);
        var factors = Enumerable.Range(0, source.Config.HeadDim / 2).Select(j => 1f + j).ToArray();
        var path = WriteGguf(source, _temp.File("llama31-save.gguf"), ropeFrequencyFactors: factors);
        using var model = await LlamaModel.LoadGgufAsync(path, cancellationToken: TestContext.Current.CancellationToken);
        var output = _temp.File("exported");

        var error = await Assert.ThrowsAsync<HanlinException>(() => model.SaveHuggingFaceAsync(output, TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.UnsupportedModel, error.Code);
        Assert.Contains("rope_freqs.weight", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_gguf_with_rope_frequency_factors_of_the_wrong_length_is_corrupt()
    {
        using var source = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        var path = WriteGguf(source, _temp.File("bad-rope.gguf"), ropeFrequencyFactors: [1f, 2f, 3f]);

        var error = await Assert.ThrowsAsync<HanlinException>(() => LlamaModel.LoadGgufAsync(path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("rope_freqs.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gguf_missing_a_layer_tensor_names_it()
    {
        using var source = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        var path = WriteGguf(source, _temp.File("broken.gguf"), skip: "blk.1.ffn_up.weight");

        var error = await Assert.ThrowsAsync<HanlinException>(() => LlamaModel.LoadGgufAsync(path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("blk.1.ffn_up.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gguf_of_an_unsupported_architecture_is_refused()
    {
        var path = new GgufWriter().Add("general.architecture", GgufValueType.String, "mamba").WriteTo(_temp.File("mamba.gguf"));
        var error = await Assert.ThrowsAsync<HanlinException>(() => LlamaModel.LoadGgufAsync(path, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.UnsupportedModel, error.Code);
    }

    // llama.cpp's layout: ggml dimensions are the PyTorch shape reversed; llama-architecture q/k weights are stored
    // for interleaved-pairs RoPE, which is the llama2.c layout of the source.
    private static string WriteGguf(LlamaModel model, string path, string? skip = null, float[]? ropeFrequencyFactors = null)
    {
        var c = model.Config;
        var w = model.Weights;
        var writer = new GgufWriter()
            .Add("general.architecture", GgufValueType.String, "llama")
            .Add("llama.embedding_length", GgufValueType.UInt32, (uint)c.Dim)
            .Add("llama.feed_forward_length", GgufValueType.UInt32, (uint)c.HiddenDim)
            .Add("llama.block_count", GgufValueType.UInt32, (uint)c.Layers)
            .Add("llama.attention.head_count", GgufValueType.UInt32, (uint)c.Heads)
            .Add("llama.attention.head_count_kv", GgufValueType.UInt32, (uint)c.KvHeads)
            .Add("llama.context_length", GgufValueType.UInt32, (uint)c.MaxSequenceLength)
            .Add("llama.attention.layer_norm_rms_epsilon", GgufValueType.Float32, c.NormEpsilon)
            .Add("llama.rope.freq_base", GgufValueType.Float32, c.RopeTheta);
        void Add(string name, Tensor tensor)
        {
            if (name == skip)
            {
                return;
            }

            var values = tensor.contiguous().data<float>().ToArray();
            var bytes = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            writer.AddTensor(name, [.. tensor.shape.Reverse()], GgufTensorType.F32, bytes);
        }

        Add("token_embd.weight", w.TokenEmbedding);
        for (var i = 0; i < c.Layers; i++)
        {
            var l = w.Layers[i];
            Add($"blk.{i}.attn_norm.weight", l.AttentionNorm);
            Add($"blk.{i}.attn_q.weight", l.Wq);
            Add($"blk.{i}.attn_k.weight", l.Wk);
            Add($"blk.{i}.attn_v.weight", l.Wv);
            Add($"blk.{i}.attn_output.weight", l.Wo);
            Add($"blk.{i}.ffn_norm.weight", l.FfnNorm);
            Add($"blk.{i}.ffn_gate.weight", l.W1);
            Add($"blk.{i}.ffn_down.weight", l.W2);
            Add($"blk.{i}.ffn_up.weight", l.W3);
        }

        Add("output_norm.weight", w.FinalNorm);
        if (ropeFrequencyFactors is not null)
        {
            Add("rope_freqs.weight", tensor(ropeFrequencyFactors));
        }
        if (!ReferenceEquals(w.Classifier, w.TokenEmbedding))
        {
            Add("output.weight", w.Classifier);
        }

        return writer.WriteTo(path);
    }
}
