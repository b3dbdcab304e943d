using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using Hanlin.Models.Lora;
using Hanlin.Models.Safetensors;
using Hanlin.Models.Tests.HuggingFace;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Lora;

public sealed class LoraMergeTests
{
    public static TheoryData<string> Adapters => [PeftFixtures.LlamaLora, PeftFixtures.Qwen2Lora, PeftFixtures.LlamaRsLora, PeftFixtures.Qwen2Layers];

    [Theory]
    [MemberData(nameof(Adapters))]
    public async Task Merged_weights_give_the_logits_of_the_adapter_applied_on_the_fly_within_1e_4(string fixture)
    {
        using var model = await PeftFixtures.LoadBaseAsync(fixture);
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(fixture));
        using var scope = NewDisposeScope();
        var tokens = PeftFixtures.Matrix(PeftFixtures.Reference(fixture).GetProperty("input_ids"));
        model.AttachAdapter(adapter);
        using var onTheFlyCache = model.CreateCache(batchSize: 2);
        var onTheFly = model.Forward(tokens, 0, onTheFlyCache);

        model.MergeAdapter();

        Assert.Null(model.Adapter);
        using var mergedCache = model.CreateCache(batchSize: 2);
        var difference = HfFixtures.MaxDifference(model.Forward(tokens, 0, mergedCache), onTheFly);
        Assert.True(difference <= 1e-4f, $"{fixture}: max |logit difference| {difference}");
    }

    [Fact]
    public async Task A_merged_model_saved_as_a_hugging_face_directory_loads_back_with_the_same_logits()
    {
        using var temp = new TempDirectory();
        using var model = await PeftFixtures.LoadBaseAsync(PeftFixtures.Qwen2Lora);
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(PeftFixtures.Qwen2Lora));
        model.AttachAdapter(adapter);
        model.MergeAdapter();
        await model.SaveHuggingFaceAsync(temp.File("merged"), TestContext.Current.CancellationToken);

        using var loaded = await LlamaModel.LoadHuggingFaceAsync(temp.File("merged"), cancellationToken: TestContext.Current.CancellationToken);

        using var scope = NewDisposeScope();
        var reference = PeftFixtures.Reference(PeftFixtures.Qwen2Lora);
        var logits = loaded.ForwardTraining(PeftFixtures.Matrix(reference.GetProperty("input_ids")), PeftFixtures.Matrix(reference.GetProperty("attention_mask")), training: false);
        var difference = HfFixtures.MaxDifference(logits, PeftFixtures.ReferenceTensor(PeftFixtures.Qwen2Lora, "logits"));
        Assert.True(difference <= 1e-4f, $"max |logit difference| to PEFT {difference}");
        Assert.Equal(model.Config, loaded.Config);
        Assert.True(File.Exists(Path.Combine(temp.File("merged"), "generation_config.json")), "the source directory's generation_config.json is copied");
    }

    [Fact]
    public async Task A_bf16_model_is_saved_in_bf16_and_loads_back_identical()
    {
        using var temp = new TempDirectory();
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Llama3Gqa), ScalarType.BFloat16, cancellationToken: TestContext.Current.CancellationToken);
        await model.SaveHuggingFaceAsync(temp.File("bf16"), TestContext.Current.CancellationToken);

        using var file = SafetensorsFile.Open(Path.Combine(temp.File("bf16"), "model.safetensors"));
        Assert.All(file.Entries.Values, e => Assert.Equal("BF16", e.DType));
        using var loaded = await LlamaModel.LoadHuggingFaceAsync(temp.File("bf16"), ScalarType.BFloat16, cancellationToken: TestContext.Current.CancellationToken);
        Assert.All(
            model.Weights.Layers.Zip(loaded.Weights.Layers).SelectMany(p => p.First.All.Zip(p.Second.All)),
            p => Assert.True(p.First.eq(p.Second).all().item<bool>()));
    }

    [Fact]
    public async Task A_model_with_interleaved_rope_pairs_is_saved_in_the_hugging_face_layout_and_computes_the_same()
    {
        // CreateRandom pairs RoPE dimensions as llama2.c does; Hugging Face checkpoints pair them half-split.
        using var temp = new TempDirectory();
        var shape = new LlamaConfig(64, 128, 2, 4, 2, 256, 64) { TiedClassifier = false };
        using var model = LlamaModel.CreateRandom(shape, seed: 5);
        await model.SaveHuggingFaceAsync(temp.File("random"), TestContext.Current.CancellationToken);

        using var loaded = await LlamaModel.LoadHuggingFaceAsync(temp.File("random"), cancellationToken: TestContext.Current.CancellationToken);

        using var scope = NewDisposeScope();
        var tokens = tensor(new long[] { 1, 7, 99, 3, 250, 18 }, 1, 6);
        var difference = HfFixtures.MaxDifference(model.ForwardTraining(tokens, null, false), loaded.ForwardTraining(tokens, null, false));
        Assert.True(difference <= 1e-5f, $"max |logit difference| {difference}");
    }

    [Fact]
    public async Task Saving_refuses_a_model_with_an_adapter_still_attached_and_a_non_empty_directory()
    {
        using var temp = new TempDirectory();
        using var model = await PeftFixtures.LoadBaseAsync(PeftFixtures.LlamaLora);
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(PeftFixtures.LlamaLora));
        model.AttachAdapter(adapter);

        var attached = await Assert.ThrowsAsync<HanlinException>(() => model.SaveHuggingFaceAsync(temp.File("out"), TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.InvalidArgument, attached.Code);

        model.AttachAdapter(null);
        temp.Write("occupied/model-00001-of-00002.safetensors", "stale");
        var occupied = await Assert.ThrowsAsync<HanlinException>(() => model.SaveHuggingFaceAsync(temp.File("occupied"), TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.InvalidArgument, occupied.Code);
    }

    [Fact]
    public async Task Merging_without_an_attached_adapter_is_refused()
    {
        using var model = await PeftFixtures.LoadBaseAsync(PeftFixtures.LlamaLora);

        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<HanlinException>(model.MergeAdapter).Code);
    }
}
