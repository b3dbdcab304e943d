using System.Text.Json.Nodes;
using Hanlin.Models.Llama;
using Hanlin.Models.Lora;
using Hanlin.Models.Tests.HuggingFace;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Lora;

public sealed class LoraAdapterTests
{
    private static readonly LlamaConfig TinyShape = new(Dim: 64, HiddenDim: 128, Layers: 2, Heads: 4, KvHeads: 2, VocabSize: 256, MaxSequenceLength: 64);

    [Fact]
    public void A_peft_adapter_config_is_read_with_its_rank_alpha_targets_and_scaling()
    {
        var config = LoraConfig.Load(Path.Combine(PeftFixtures.Directory(PeftFixtures.LlamaRsLora), LoraConfig.FileName));

        Assert.Equal(4, config.Rank);
        Assert.Equal(8, config.Alpha);
        Assert.True(config.UseRsLora);
        Assert.Equal(4.0, config.Scaling, 12); // 8 / √4
        Assert.Equal([LoraTargetModule.QProj, LoraTargetModule.VProj, LoraTargetModule.DownProj], config.TargetModules.Order());
        Assert.Null(config.LayersToTransform);
        Assert.Equal("llama3-gqa", config.BaseModelNameOrPath);

        var layers = LoraConfig.Load(Path.Combine(PeftFixtures.Directory(PeftFixtures.Qwen2Layers), LoraConfig.FileName));
        Assert.Equal([1], layers.LayersToTransform);
        Assert.Equal(2.0, layers.Scaling, 12); // 8 / 4
    }

    [Fact]
    public void A_peft_adapter_loads_under_peft_tensor_names_with_a_and_b_of_the_right_shapes()
    {
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(PeftFixtures.Qwen2Layers));

        Assert.Equal(LoraTargetModuleNames.All.Select(m => (1, m)).Order(), adapter.Targets.Order());
        Assert.Equal("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight", adapter.NamedParameters[0].Key);
        Assert.Equal([4L, 128L], adapter.LoraA(1, LoraTargetModule.DownProj)!.shape);
        Assert.Equal([32L, 4L], adapter.LoraB(1, LoraTargetModule.KProj)!.shape);
        Assert.Null(adapter.LoraA(0, LoraTargetModule.QProj));
        Assert.All(adapter.Parameters, p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Saving_and_loading_an_adapter_round_trips_byte_for_byte()
    {
        using var temp = new TempDirectory();
        using var original = LoraAdapter.Load(PeftFixtures.Directory(PeftFixtures.LlamaLora));
        original.Save(temp.File("first"));
        using var reloaded = LoraAdapter.Load(temp.File("first"));
        reloaded.Save(temp.File("second"));

        foreach (var file in new[] { LoraConfig.FileName, LoraAdapter.WeightsFileName })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(temp.File("first"), file)), File.ReadAllBytes(Path.Combine(temp.File("second"), file)));
        }

        Assert.Equal(original.Config with { TargetModules = [], LayersToTransform = null }, reloaded.Config with { TargetModules = [], LayersToTransform = null });
        Assert.Equal(original.Config.TargetModules.Order(), reloaded.Config.TargetModules.Order());
        foreach (var ((name, expected), (reloadedName, actual)) in original.NamedParameters.Zip(reloaded.NamedParameters))
        {
            Assert.Equal(name, reloadedName);
            Assert.True(expected.eq(actual).all().item<bool>(), name);
        }

        Assert.Empty(Directory.GetFiles(temp.File("first"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_new_adapter_is_initialised_as_peft_does_and_is_deterministic_for_a_seed()
    {
        var config = new LoraConfig(8, 16) { TargetModules = [LoraTargetModule.QProj, LoraTargetModule.DownProj] };
        using var first = LoraAdapter.Create(config, TinyShape, seed: 42);
        using var again = LoraAdapter.Create(config, TinyShape, seed: 42);
        using var other = LoraAdapter.Create(config, TinyShape, seed: 43);

        var a = first.LoraA(1, LoraTargetModule.DownProj)!; // [8, 128]: uniform in ±1/√128
        Assert.Equal([8L, 128L], a.shape);
        Assert.True(a.abs().max().item<float>() <= 1 / MathF.Sqrt(128));
        Assert.True(a.abs().max().item<float>() > 0.8f / MathF.Sqrt(128));
        Assert.All(first.NamedParameters.Where(p => p.Key.Contains("lora_B", StringComparison.Ordinal)), p => Assert.Equal(0f, p.Value.abs().max().item<float>()));
        Assert.Equal(4, first.Targets.Count);
        Assert.True(first.LoraA(0, LoraTargetModule.QProj)!.eq(again.LoraA(0, LoraTargetModule.QProj)!).all().item<bool>());
        Assert.False(first.LoraA(0, LoraTargetModule.QProj)!.eq(other.LoraA(0, LoraTargetModule.QProj)!).all().item<bool>());
    }

    [Fact]
    public void A_freshly_initialised_adapter_leaves_the_model_s_logits_unchanged()
    {
        using var model = LlamaModel.CreateRandom(TinyShape, seed: 3);
        using var adapter = LoraAdapter.Create(new LoraConfig(4, 8), TinyShape, seed: 1);
        using var scope = NewDisposeScope();
        var tokens = tensor(new long[] { 1, 5, 9, 200, 17 }, 1, 5);
        var before = model.ForwardTraining(tokens, null, training: false);

        model.AttachAdapter(adapter);
        var after = model.ForwardTraining(tokens, null, training: false);

        Assert.Equal(0f, HfFixtures.MaxDifference(before, after));
    }

    [Fact]
    public void Lora_dropout_changes_the_training_forward_only_when_training()
    {
        using var model = LlamaModel.CreateRandom(TinyShape, seed: 3);
        using var adapter = Reconfigured(LoraAdapter.Load(PeftFixtures.Directory(PeftFixtures.LlamaLora)), 0.5);
        model.AttachAdapter(adapter);
        using var scope = NewDisposeScope();
        var tokens = tensor(new long[] { 1, 5, 9, 200, 17 }, 1, 5);

        var evaluation = model.ForwardTraining(tokens, null, training: false);
        var again = model.ForwardTraining(tokens, null, training: false);
        var trained = model.ForwardTraining(tokens, null, training: true);

        Assert.Equal(0f, HfFixtures.MaxDifference(evaluation, again));
        Assert.True(HfFixtures.MaxDifference(evaluation, trained) > 1e-3f);
    }

    [Fact]
    public void The_training_forward_without_an_adapter_equals_the_cached_inference_forward()
    {
        using var model = LlamaModel.CreateRandom(TinyShape with { Heads = 8, KvHeads = 2 }, seed: 9);
        using var scope = NewDisposeScope();
        var tokens = tensor(new long[] { 1, 5, 9, 200, 17, 3, 3, 80 }, 2, 4);
        using var cache = model.CreateCache(batchSize: 2);

        var difference = HfFixtures.MaxDifference(model.ForwardTraining(tokens, null, training: false), model.Forward(tokens, 0, cache));

        Assert.True(difference <= 1e-5f, $"max |logit difference| {difference}");
    }

    [Fact]
    public void The_causal_lm_loss_ignores_minus_100_and_averages_over_counted_tokens()
    {
        using var scope = NewDisposeScope();
        var logits = zeros(1, 3, 4);
        logits[0, 0, 2] = tensor(2f); // predicts label[1]
        var labels = tensor(new long[] { -100, 2, -100 }, 1, 3);

        var loss = LlamaModel.CausalLmLoss(logits, labels).item<float>();

        var expected = -MathF.Log(MathF.Exp(2) / (MathF.Exp(2) + 3)); // only position 0 -> label 2 counts
        Assert.Equal(expected, loss, 5);
    }

    private static LoraAdapter Reconfigured(LoraAdapter adapter, double dropout)
    {
        using var temp = new TempDirectory();
        using (adapter)
        {
            adapter.Save(temp.Path);
        }

        var configPath = Path.Combine(temp.Path, LoraConfig.FileName);
        var json = JsonNode.Parse(File.ReadAllText(configPath))!;
        json["lora_dropout"] = dropout;
        File.WriteAllText(configPath, json.ToJsonString());
        return LoraAdapter.Load(temp.Path);
    }
}
