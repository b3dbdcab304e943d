using Hanlin.Models.Llama;
using Hanlin.Models.Lora;
using Hanlin.Models.Tests.HuggingFace;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Lora;

/// <summary>Hanlin's LoRA forward, loss and gradients against transformers + PEFT on the same tiny models and adapters.</summary>
public sealed class PeftParityTests
{
    // fp32 logits of magnitude ~1-10 after two layers; transformers and libtorch sum in different orders.
    private const float LogitTolerance = 1e-4f;

    public static TheoryData<string> Adapters => [PeftFixtures.LlamaLora, PeftFixtures.Qwen2Lora, PeftFixtures.LlamaRsLora, PeftFixtures.Qwen2Layers];

    [Theory]
    [MemberData(nameof(Adapters))]
    public async Task A_peft_adapter_gives_the_logits_peft_computes_within_1e_4(string fixture)
    {
        using var model = await PeftFixtures.LoadBaseAsync(fixture);
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(fixture));
        model.AttachAdapter(adapter);
        using var scope = NewDisposeScope();
        var reference = PeftFixtures.Reference(fixture);

        var logits = model.ForwardTraining(PeftFixtures.Matrix(reference.GetProperty("input_ids")), PeftFixtures.Matrix(reference.GetProperty("attention_mask")), training: false);

        var expected = PeftFixtures.ReferenceTensor(fixture, "logits");
        Assert.Equal(expected.shape, logits.shape);
        var difference = HfFixtures.MaxDifference(logits, expected);
        Assert.True(difference <= LogitTolerance, $"{fixture}: max |logit difference| {difference}");
    }

    [Theory]
    [MemberData(nameof(Adapters))]
    public async Task The_cached_inference_forward_applies_the_adapter_as_peft_does(string fixture)
    {
        using var model = await PeftFixtures.LoadBaseAsync(fixture);
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(fixture));
        model.AttachAdapter(adapter);
        using var scope = NewDisposeScope();
        var ids = PeftFixtures.Matrix(PeftFixtures.Reference(fixture).GetProperty("input_ids"))[0].unsqueeze(0); // the unpadded row

        // The prompt in one call, then one token at a time through the KV cache.
        using var cache = model.CreateCache();
        var parts = new List<Tensor> { model.Forward(ids.narrow(1, 0, 6), 0, cache) };
        for (var i = 6; i < ids.shape[1]; i++)
        {
            parts.Add(model.Forward(ids.narrow(1, i, 1), i, cache));
        }

        var difference = HfFixtures.MaxDifference(cat(parts, 1)[0], PeftFixtures.ReferenceTensor(fixture, "logits")[0]);
        Assert.True(difference <= LogitTolerance, $"{fixture}: max |logit difference| {difference}");
    }

    [Theory]
    [MemberData(nameof(Adapters))]
    public async Task The_loss_over_assistant_tokens_is_the_one_transformers_computes(string fixture)
    {
        using var model = await PeftFixtures.LoadBaseAsync(fixture);
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(fixture));
        model.AttachAdapter(adapter);
        using var scope = NewDisposeScope();
        var reference = PeftFixtures.Reference(fixture);

        var logits = model.ForwardTraining(PeftFixtures.Matrix(reference.GetProperty("input_ids")), PeftFixtures.Matrix(reference.GetProperty("attention_mask")), training: false);
        var loss = LlamaModelLoss(logits, PeftFixtures.Matrix(reference.GetProperty("labels")));

        var expected = reference.GetProperty("loss").GetDouble();
        Assert.True(Math.Abs(loss - expected) <= 1e-5 * Math.Abs(expected), $"{fixture}: loss {loss}, transformers {expected}");
    }

    [Theory]
    [MemberData(nameof(Adapters))]
    public async Task Every_lora_gradient_after_one_backward_matches_peft(string fixture)
    {
        using var model = await PeftFixtures.LoadBaseAsync(fixture);
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(fixture));
        model.AttachAdapter(adapter);
        using var scope = NewDisposeScope();
        var reference = PeftFixtures.Reference(fixture);

        var logits = model.ForwardTraining(PeftFixtures.Matrix(reference.GetProperty("input_ids")), PeftFixtures.Matrix(reference.GetProperty("attention_mask")), training: true);
        LlamaModel.CausalLmLoss(logits, PeftFixtures.Matrix(reference.GetProperty("labels"))).backward();

        Assert.NotEmpty(adapter.NamedParameters);
        foreach (var (name, parameter) in adapter.NamedParameters)
        {
            var expected = PeftFixtures.ReferenceTensor(fixture, "grad." + name);
            var gradient = parameter.grad;
            Assert.NotNull(gradient);
            var scale = expected.abs().max().item<float>();
            var difference = HfFixtures.MaxDifference(gradient, expected);
            Assert.True(scale > 0, $"{fixture}: PEFT's gradient of {name} is zero, so it proves nothing");
            Assert.True(difference <= 1e-4f * scale, $"{fixture}: {name} gradient differs by {difference} (largest {scale})");
        }
    }

    [Fact]
    public async Task Gradients_reach_only_the_adapter_never_the_base_weights()
    {
        using var model = await PeftFixtures.LoadBaseAsync(PeftFixtures.LlamaLora);
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(PeftFixtures.LlamaLora));
        model.AttachAdapter(adapter);
        using var scope = NewDisposeScope();
        var reference = PeftFixtures.Reference(PeftFixtures.LlamaLora);

        var logits = model.ForwardTraining(PeftFixtures.Matrix(reference.GetProperty("input_ids")), null, training: true);
        LlamaModel.CausalLmLoss(logits, PeftFixtures.Matrix(reference.GetProperty("labels"))).backward();

        Assert.All(adapter.Parameters, p => Assert.NotNull(p.grad));
        Assert.All(model.Weights.Layers.SelectMany(l => l.All), w => Assert.False(w.requires_grad));
        Assert.False(model.Weights.TokenEmbedding.requires_grad);
    }

    private static double LlamaModelLoss(Tensor logits, Tensor labels) => LlamaModel.CausalLmLoss(logits, labels).item<float>();
}
