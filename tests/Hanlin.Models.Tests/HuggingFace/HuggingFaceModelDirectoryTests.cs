using System.Text.Json.Nodes;
using Hanlin.Core.Errors;
using Hanlin.Models.HuggingFace;
using Hanlin.Models.Llama;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.HuggingFace;

public sealed class HuggingFaceModelDirectoryTests
{
    [Fact]
    public void A_llama3_directory_reports_grouped_query_attention_and_its_rope_scaling()
    {
        var directory = HuggingFaceModelDirectory.Open(HfFixtures.Directory(HfFixtures.Llama3Gqa));

        Assert.Equal(HuggingFaceArchitecture.Llama, directory.Architecture);
        var config = directory.DecoderConfig!;
        Assert.Equal((64, 128, 2, 4, 2, 256, 256), (config.Dim, config.HiddenDim, config.Layers, config.Heads, config.KvHeads, config.VocabSize, config.MaxSequenceLength));
        Assert.Equal(500000f, config.RopeTheta);
        Assert.Equal(new Llama3RopeScaling(8, 1, 4, 64), config.RopeScaling);
        Assert.Equal(RopeLayout.HalfSplit, config.RopeLayout);
        Assert.False(config.TiedClassifier);
        Assert.Equal([2], directory.Generation.EosTokenIds);
        Assert.Equal(1, directory.Generation.BosTokenId);
        Assert.Contains(2, directory.Generation.ToGenerationOptions().StopTokenIds);
    }

    [Fact]
    public void A_qwen2_directory_has_attention_bias_and_a_tied_classifier()
    {
        var directory = HuggingFaceModelDirectory.Open(HfFixtures.Directory(HfFixtures.Qwen2Tied));

        Assert.Equal(HuggingFaceArchitecture.Qwen2, directory.Architecture);
        Assert.True(directory.DecoderConfig!.AttentionBias);
        Assert.True(directory.DecoderConfig.TiedClassifier);
        Assert.Equal(1e6f, directory.DecoderConfig.RopeTheta); // from transformers 5's rope_parameters
        Assert.Null(directory.DecoderConfig.RopeScaling);
    }

    [Fact]
    public void A_sharded_directory_lists_its_shards_in_index_order()
    {
        var directory = HuggingFaceModelDirectory.Open(HfFixtures.Directory(HfFixtures.LlamaBf16Sharded));

        Assert.Equal(
            ["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors"],
            directory.WeightFiles.Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Ignoring_the_llama3_rope_scaling_changes_the_logits_so_the_fixture_exercises_it()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.Llama3Gqa, temp);
        EditConfig(path, c => c.Remove("rope_scaling"));
        using var unscaled = await LlamaModel.LoadHuggingFaceAsync(path, cancellationToken: TestContext.Current.CancellationToken);
        using var scope = NewDisposeScope();
        var ids = HfFixtures.Ints(HfFixtures.Reference(HfFixtures.Llama3Gqa).GetProperty("input_ids"));
        using var cache = unscaled.CreateCache();
        var logits = unscaled.Forward(tensor(ids, 1, ids.Length), 0, cache)[0];

        Assert.True(HfFixtures.MaxDifference(logits, HfFixtures.ReferenceTensor(HfFixtures.Llama3Gqa, "logits")) > 1e-2f);
    }

    [Fact]
    public async Task Loading_reports_progress_up_to_one()
    {
        var progress = new RecordingProgress();
        using var model = await LlamaModel.LoadHuggingFaceAsync(
            HfFixtures.Directory(HfFixtures.LlamaBf16Sharded), progress: progress, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(progress.Values.Count > 10);
        Assert.Equal(1f, progress.Values[^1]);
        Assert.Equal(progress.Values.Order(), progress.Values);
    }

    [Fact]
    public async Task Cancelling_during_a_load_stops_it()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var progress = new RecordingProgress(onReport: cancellation.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Qwen2Tied), progress: progress, cancellationToken: cancellation.Token));
        Assert.Single(progress.Values);
    }

    [Fact]
    public void An_unknown_architecture_is_unsupported_and_named()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.Qwen2Tied, temp);
        EditConfig(path, c =>
        {
            c["architectures"] = new JsonArray("GPT2LMHeadModel");
            c["model_type"] = "gpt2";
        });

        var error = Assert.Throws<HanlinException>(() => HuggingFaceModelDirectory.Open(path));

        Assert.Equal(ErrorCodes.UnsupportedModel, error.Code);
        Assert.Contains("GPT2LMHeadModel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_rope_scaling_type_is_refused()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.Llama3Gqa, temp);
        EditConfig(path, c => c["rope_scaling"] = new JsonObject { ["rope_type"] = "yarn", ["factor"] = 4.0 });

        var error = Assert.Throws<HanlinException>(() => HuggingFaceModelDirectory.Open(path));

        Assert.Equal(ErrorCodes.UnsupportedModel, error.Code);
        Assert.Contains("yarn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_without_a_required_field_names_the_file_and_field()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.Qwen2Tied, temp);
        EditConfig(path, c => c.Remove("hidden_size"));

        var error = Assert.Throws<HanlinException>(() => HuggingFaceModelDirectory.Open(path));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("hidden_size", error.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_that_is_not_json_is_corrupt()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.Qwen2Tied, temp);
        File.WriteAllText(Path.Combine(path, "config.json"), "{\"architectures\": [\"Qwen2ForCausalLM\"");

        Assert.Equal(ErrorCodes.CorruptFile, Assert.Throws<HanlinException>(() => HuggingFaceModelDirectory.Open(path)).Code);
    }

    [Fact]
    public void Heads_that_do_not_divide_into_key_value_heads_are_an_invalid_configuration()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.Llama3Gqa, temp);
        EditConfig(path, c => c["num_key_value_heads"] = 3);

        Assert.Equal(ErrorCodes.CorruptFile, Assert.Throws<HanlinException>(() => HuggingFaceModelDirectory.Open(path)).Code);
    }

    [Fact]
    public void A_directory_without_config_json_is_not_found()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<HanlinException>(() => HuggingFaceModelDirectory.Open(temp.Path));

        Assert.Equal(ErrorCodes.FileNotFound, error.Code);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_shard_is_named()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.LlamaBf16Sharded, temp);
        File.Delete(Path.Combine(path, "model-00002-of-00003.safetensors"));
        var directory = HuggingFaceModelDirectory.Open(path);

        var error = await Assert.ThrowsAsync<HanlinException>(() => directory.LoadDecoderAsync(cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.FileNotFound, error.Code);
        Assert.Contains("model-00002-of-00003.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tensor_whose_shape_disagrees_with_the_config_is_named()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.Qwen2Tied, temp);
        EditConfig(path, c => c["vocab_size"] = 300);

        var error = await Assert.ThrowsAsync<HanlinException>(() => LlamaModel.LoadHuggingFaceAsync(path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("model.embed_tokens.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_classifier_of_an_untied_model_is_named()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.Qwen2Tied, temp);
        EditConfig(path, c => c["tie_word_embeddings"] = false);

        var error = await Assert.ThrowsAsync<HanlinException>(() => LlamaModel.LoadHuggingFaceAsync(path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("lm_head.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pickled_pytorch_weights_are_unsupported()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.Qwen2Tied, temp);
        File.Move(Path.Combine(path, "model.safetensors"), Path.Combine(path, "pytorch_model.bin"));

        Assert.Equal(ErrorCodes.UnsupportedModel, Assert.Throws<HanlinException>(() => HuggingFaceModelDirectory.Open(path)).Code);
    }

    [Fact]
    public void Fp16_compute_is_refused()
    {
        var directory = HuggingFaceModelDirectory.Open(HfFixtures.Directory(HfFixtures.Qwen2Tied));

        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<HanlinException>(() => { _ = directory.LoadDecoderAsync(ScalarType.Float16); }).Code);
    }

    [Fact]
    public void An_encoder_directory_cannot_be_loaded_as_a_decoder()
    {
        var directory = HuggingFaceModelDirectory.Open(HfFixtures.Directory(HfFixtures.Bert));

        Assert.Equal(ErrorCodes.UnsupportedModel, Assert.Throws<HanlinException>(() => { _ = directory.LoadDecoderAsync(); }).Code);
    }

    private static void EditConfig(string directory, Action<JsonObject> edit)
    {
        var path = Path.Combine(directory, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }

    private sealed class RecordingProgress(Action? onReport = null) : IProgress<float>
    {
        public List<float> Values { get; } = [];

        public void Report(float value)
        {
            Values.Add(value);
            onReport?.Invoke();
        }
    }
}
