using System.Text.Json.Nodes;
using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using Hanlin.Models.Lora;
using Hanlin.Models.Safetensors;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Lora;

public sealed class LoraBadInputTests
{
    private static readonly LlamaConfig TinyShape = new(64, 128, 2, 4, 2, 256, 64);

    [Fact]
    public void A_target_module_that_does_not_exist_is_refused_by_name()
    {
        using var temp = new TempDirectory();
        var path = CopyAdapter(temp, PeftFixtures.LlamaLora, json => json["target_modules"] = new JsonArray("q_proj", "qkv_proj"));

        var error = Assert.Throws<HanlinException>(() => LoraAdapter.Load(path));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("'qkv_proj' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rank_larger_than_the_projection_is_refused()
    {
        // k_proj of this shape is [32, 64]: rank 40 cannot fit.
        var error = Assert.Throws<HanlinException>(() => LoraAdapter.Create(new LoraConfig(40, 16), TinyShape));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("at most 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layers_to_transform_beyond_the_model_are_refused()
    {
        var config = new LoraConfig(4, 8) { LayersToTransform = [1, 5] };

        var error = Assert.Throws<HanlinException>(() => LoraAdapter.Create(config, TinyShape));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("layer 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_adapter_made_for_another_model_is_refused_when_attached()
    {
        using var model = LlamaModel.CreateRandom(TinyShape with { Dim = 32, Heads = 2, KvHeads = 1 });
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(PeftFixtures.LlamaLora));

        var error = Assert.Throws<HanlinException>(() => model.AttachAdapter(adapter));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("made for another model", error.Message, StringComparison.Ordinal);
        Assert.Null(model.Adapter);
    }

    [Fact]
    public void An_adapter_for_more_layers_than_the_model_has_is_refused_when_attached()
    {
        using var model = LlamaModel.CreateRandom(TinyShape with { Layers = 1 });
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(PeftFixtures.Qwen2Layers)); // adapts layer 1

        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<HanlinException>(() => model.AttachAdapter(adapter)).Code);
    }

    [Fact]
    public void Missing_directories_and_files_are_file_not_found()
    {
        using var temp = new TempDirectory();
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<HanlinException>(() => LoraAdapter.Load(temp.File("absent"))).Code);

        var noWeights = CopyAdapter(temp, PeftFixtures.LlamaLora, _ => { });
        File.Delete(Path.Combine(noWeights, LoraAdapter.WeightsFileName));
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<HanlinException>(() => LoraAdapter.Load(noWeights)).Code);

        File.Delete(Path.Combine(noWeights, LoraConfig.FileName));
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<HanlinException>(() => LoraAdapter.Load(noWeights)).Code);
    }

    [Fact]
    public void Tensors_whose_shapes_disagree_with_the_rank_are_a_corrupt_file()
    {
        using var temp = new TempDirectory();
        var path = CopyAdapter(temp, PeftFixtures.LlamaLora, json => json["r"] = 8);

        var error = Assert.Throws<HanlinException>(() => LoraAdapter.Load(path));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("r=8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_lora_b_is_a_corrupt_file_naming_the_projection()
    {
        using var temp = new TempDirectory();
        var path = CopyAdapter(temp, PeftFixtures.LlamaRsLora, _ => { });
        using (var adapter = LoraAdapter.Load(path))
        using (var scope = NewDisposeScope())
        {
            var kept = adapter.NamedParameters.Where(p => !p.Key.EndsWith("layers.1.self_attn.v_proj.lora_B.weight", StringComparison.Ordinal)).ToList();
            SafetensorsWriter.Write(Path.Combine(path, LoraAdapter.WeightsFileName), kept);
        }

        var error = Assert.Throws<HanlinException>(() => LoraAdapter.Load(path));

        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("layer 1 v_proj has lora_B missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("use_dora", "true")]
    [InlineData("bias", "\"all\"")]
    [InlineData("peft_type", "\"IA3\"")]
    [InlineData("modules_to_save", "[\"lm_head\"]")]
    [InlineData("rank_pattern", "{\"q_proj\": 8}")]
    public void Peft_options_hanlin_does_not_implement_are_unsupported_not_silently_ignored(string field, string value)
    {
        using var temp = new TempDirectory();
        var path = CopyAdapter(temp, PeftFixtures.LlamaLora, json => json[field] = JsonNode.Parse(value));

        var error = Assert.Throws<HanlinException>(() => LoraAdapter.Load(path));

        Assert.Equal(ErrorCodes.UnsupportedModel, error.Code);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_adapter_config_json_is_a_corrupt_file()
    {
        using var temp = new TempDirectory();
        var path = CopyAdapter(temp, PeftFixtures.LlamaLora, _ => { });
        File.WriteAllText(Path.Combine(path, LoraConfig.FileName), "{\"peft_type\": \"LORA\", ");

        Assert.Equal(ErrorCodes.CorruptFile, Assert.Throws<HanlinException>(() => LoraAdapter.Load(path)).Code);
    }

    private static string CopyAdapter(TempDirectory temp, string fixture, Action<JsonNode> edit)
    {
        var path = temp.File(fixture);
        Directory.CreateDirectory(path);
        foreach (var file in Directory.GetFiles(PeftFixtures.Directory(fixture)))
        {
            File.Copy(file, Path.Combine(path, Path.GetFileName(file)));
        }

        var configPath = Path.Combine(path, LoraConfig.FileName);
        var json = JsonNode.Parse(File.ReadAllText(configPath))!;
        edit(json);
        File.WriteAllText(configPath, json.ToJsonString());
        return path;
    }
}
