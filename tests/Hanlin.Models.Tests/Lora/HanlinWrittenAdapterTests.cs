using System.Runtime.CompilerServices;
using System.Text.Json;
using Hanlin.Models.Llama;
using Hanlin.Models.Lora;
using Hanlin.Models.Safetensors;
using Hanlin.Models.Tests.HuggingFace;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Lora;

/// <summary>
/// The adapter Hanlin writes for PEFT to read (Fixtures/peft/hanlin-written, checked by tools/peft-fixtures/generate.py).
/// Set HANLIN_WRITE_LORA_FIXTURES=1 to rewrite the committed fixture from this code instead of comparing with it.
/// </summary>
public sealed class HanlinWrittenAdapterTests
{
    private const string Base = HfFixtures.Qwen2Tied;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly long[] InputIds = [1, 33, 7, 180, 92, 4, 61, 250, 12];

    [Fact]
    public async Task The_adapter_hanlin_writes_is_reproduced_byte_for_byte()
    {
        using var temp = new TempDirectory();
        var target = Environment.GetEnvironmentVariable("HANLIN_WRITE_LORA_FIXTURES") == "1" ? SourceFixtures() : temp.Path;
        using var model = await LlamaModelForBase();
        using var adapter = WrittenAdapter(model.Config);
        adapter.Save(Path.Combine(target, PeftFixtures.HanlinWritten));
        if (target != temp.Path)
        {
            WriteReference(model, adapter, target);
        }

        foreach (var file in new[] { LoraConfig.FileName, LoraAdapter.WeightsFileName })
        {
            Assert.Equal(
                File.ReadAllBytes(Path.Combine(PeftFixtures.Directory(PeftFixtures.HanlinWritten), file)),
                File.ReadAllBytes(Path.Combine(target, PeftFixtures.HanlinWritten, file)));
        }
    }

    [Fact]
    public async Task Hanlin_s_logits_for_the_adapter_it_wrote_are_the_committed_ones_peft_checks()
    {
        using var model = await LlamaModelForBase();
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(PeftFixtures.HanlinWritten));
        model.AttachAdapter(adapter);
        using var scope = NewDisposeScope();

        var logits = model.ForwardTraining(tensor(InputIds, 1, InputIds.Length), null, training: false);

        var difference = HfFixtures.MaxDifference(logits, PeftFixtures.ReferenceTensor(PeftFixtures.HanlinWritten, "logits"));
        Assert.True(difference <= 1e-5f, $"max |logit difference| {difference}");
    }

    [Fact]
    public void Peft_loaded_the_adapter_hanlin_wrote_with_logits_within_1e_4()
    {
        // Written by tools/peft-fixtures/generate.py on a machine with transformers + peft.
        var path = Path.Combine(PeftFixtures.Root, PeftFixtures.HanlinWritten + ".peft-check.json");
        using var check = JsonDocument.Parse(File.ReadAllText(path));

        Assert.True(check.RootElement.GetProperty("passed").GetBoolean());
        Assert.True(check.RootElement.GetProperty("max_abs_logit_difference").GetDouble() <= 1e-4);
        Assert.True(check.RootElement.GetProperty("adapter_effect_max_abs").GetDouble() > 1e-2);
    }

    private static Task<LlamaModel> LlamaModelForBase() =>
        LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(Base), cancellationToken: TestContext.Current.CancellationToken);

    // PEFT's initialisation (B = 0) would make the adapter a no-op, so B is drawn at random: the check then proves
    // that PEFT reads every factor, name and the scaling as Hanlin meant them.
    private static LoraAdapter WrittenAdapter(LlamaConfig shape)
    {
        var config = new LoraConfig(4, 16) { Dropout = 0.05, BaseModelNameOrPath = Base };
        var adapter = LoraAdapter.Create(config, shape, seed: 2026);
        using var generator = new Generator(7);
        using var noGrad = no_grad();
        foreach (var (layer, module) in adapter.Targets)
        {
            using var scope = NewDisposeScope();
            var b = adapter.LoraB(layer, module)!;
            b.copy_(randn(b.shape, generator: generator).mul_(0.2));
        }

        return adapter;
    }

    private static void WriteReference(LlamaModel model, LoraAdapter adapter, string directory)
    {
        model.AttachAdapter(adapter);
        using var scope = NewDisposeScope();
        var logits = model.ForwardTraining(tensor(InputIds, 1, InputIds.Length), null, training: false);
        SafetensorsWriter.Write(Path.Combine(directory, PeftFixtures.HanlinWritten + ".reference.safetensors"), [new("logits", logits.detach())]);
        File.WriteAllText(
            Path.Combine(directory, PeftFixtures.HanlinWritten + ".reference.json"),
            JsonSerializer.Serialize(new { @base = Base, input_ids = new[] { InputIds }, written_by = "tests/Hanlin.Models.Tests/Lora/HanlinWrittenAdapterTests.cs" }, Indented));
    }

    private static string SourceFixtures([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "..", "Fixtures", "peft");
}
