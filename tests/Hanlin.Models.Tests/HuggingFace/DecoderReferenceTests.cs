using Hanlin.Models.Generation;
using Hanlin.Models.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.HuggingFace;

/// <summary>Hanlin's decoders against transformers' own outputs for the same tiny checkpoints.</summary>
public sealed class DecoderReferenceTests
{
    // fp32 logits of magnitude ~1-10 after two layers; transformers and libtorch sum in different orders.
    private const float Fp32Tolerance = 1e-4f;

    public static TheoryData<string> Decoders => [HfFixtures.Llama3Gqa, HfFixtures.LlamaBf16Sharded, HfFixtures.Qwen2Tied, HfFixtures.MistralFp16];

    [Theory]
    [MemberData(nameof(Decoders))]
    public async Task Full_sequence_logits_match_transformers_within_1e_4(string fixture)
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(fixture), cancellationToken: TestContext.Current.CancellationToken);
        using var scope = NewDisposeScope();
        var ids = HfFixtures.Ints(HfFixtures.Reference(fixture).GetProperty("input_ids"));
        using var cache = model.CreateCache();
        var logits = model.Forward(tensor(ids, 1, ids.Length), 0, cache)[0]; // [seq, vocab]
        var expected = HfFixtures.ReferenceTensor(fixture, "logits");
        Assert.Equal(expected.shape, logits.shape);
        var difference = HfFixtures.MaxDifference(logits, expected);
        Assert.True(difference <= Fp32Tolerance, $"{fixture}: max |logit difference| {difference}");
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public async Task Greedy_continuation_is_the_one_transformers_generates(string fixture)
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(fixture), cancellationToken: TestContext.Current.CancellationToken);
        var reference = HfFixtures.Reference(fixture);
        var prompt = HfFixtures.Ints(reference.GetProperty("input_ids")).Select(i => (int)i).ToArray();
        var expected = HfFixtures.Ints(reference.GetProperty("greedy_tokens")).Select(i => (int)i).ToArray();

        var generated = new TextGenerator(model).Generate(prompt, expected.Length);

        Assert.Equal(expected, generated);
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public async Task Decoding_through_the_kv_cache_equals_the_full_sequence_forward(string fixture)
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(fixture), cancellationToken: TestContext.Current.CancellationToken);
        using var scope = NewDisposeScope();
        var ids = HfFixtures.Ints(HfFixtures.Reference(fixture).GetProperty("input_ids"));
        using var fullCache = model.CreateCache();
        var full = model.Forward(tensor(ids, 1, ids.Length), 0, fullCache);

        using var stepCache = model.CreateCache();
        var steps = new List<Tensor> { model.Forward(tensor(ids[..4], 1, 4), 0, stepCache) };
        for (var i = 4; i < ids.Length; i++)
        {
            steps.Add(model.Forward(tensor(ids[i..(i + 1)], 1, 1), i, stepCache));
        }

        var difference = HfFixtures.MaxDifference(full, cat(steps, 1));
        Assert.True(difference <= 1e-5f, $"{fixture}: max |logit difference| {difference}");
    }

    [Fact]
    public async Task Bf16_compute_of_a_bf16_checkpoint_stays_within_a_bf16_tolerance_of_transformers()
    {
        const string fixture = HfFixtures.LlamaBf16Sharded;
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(fixture), ScalarType.BFloat16, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(ScalarType.BFloat16, model.DType);
        using var scope = NewDisposeScope();
        var ids = HfFixtures.Ints(HfFixtures.Reference(fixture).GetProperty("input_ids"));
        using var cache = model.CreateCache();
        var logits = model.Forward(tensor(ids, 1, ids.Length), 0, cache)[0];
        var expected = HfFixtures.ReferenceTensor(fixture, "logits");

        // bf16 keeps 8 significant bits: activations round at every layer, so logits of magnitude ~4 move by a few 1e-2.
        var difference = HfFixtures.MaxDifference(logits, expected);
        var scale = expected.abs().max().item<float>();
        Assert.True(difference <= 0.05f * scale, $"max |logit difference| {difference} for logits up to {scale}");
        Assert.Equal(expected.argmax(-1).data<long>().ToArray(), logits.argmax(-1).data<long>().ToArray());
    }

    [Fact]
    public async Task Converting_a_loaded_qwen2_to_bf16_keeps_its_biases_and_its_greedy_choices()
    {
        const string fixture = HfFixtures.Qwen2Tied;
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(fixture), cancellationToken: TestContext.Current.CancellationToken);
        model.ConvertTo(ScalarType.BFloat16);
        Assert.All(model.Weights.Layers, l => Assert.Equal(ScalarType.BFloat16, l.Bq!.dtype));
        using var scope = NewDisposeScope();
        var ids = HfFixtures.Ints(HfFixtures.Reference(fixture).GetProperty("input_ids"));
        using var cache = model.CreateCache();
        var logits = model.Forward(tensor(ids, 1, ids.Length), 0, cache)[0];

        Assert.Equal(HfFixtures.ReferenceTensor(fixture, "logits").argmax(-1).data<long>().ToArray(), logits.argmax(-1).data<long>().ToArray());
    }

    [Fact]
    public async Task Generating_from_a_loaded_checkpoint_leaves_no_tensors_alive()
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Qwen2Tied), cancellationToken: TestContext.Current.CancellationToken);
        var generator = new TextGenerator(model);
        generator.Generate([1, 2, 3], 2);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        generator.Generate([1, 17, 200, 45], 8);

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
