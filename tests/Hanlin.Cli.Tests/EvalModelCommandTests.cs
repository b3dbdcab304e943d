using Hanlin.Models.Llama;
using Hanlin.Models.Lora;
using static TorchSharp.torch;

namespace Hanlin.Cli.Tests;

public sealed class EvalModelCommandTests
{
    private const string Chat =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Who is Lily?\"},{\"role\":\"assistant\",\"content\":\"Lily is a little girl who likes to play.\"}]}\n" +
        "{\"instruction\":\"broken\"}\n" +
        "{\"messages\":[{\"role\":\"system\",\"content\":\"Tell stories.\"},{\"role\":\"user\",\"content\":\"What did Tom see?\"},{\"role\":\"assistant\",\"content\":\"Tom saw a big red ball in the park.\"}]}\n" +
        "{\"messages\":[{\"role\":\"user\",\"content\":\"And then?\"},{\"role\":\"assistant\",\"content\":\"They played all day.\"}]}\n";

    private const string Metrics =
        "{\"step\":1,\"epoch\":0.5,\"train_loss\":2.5,\"val_loss\":null,\"lr\":0.001,\"tokens_per_second\":900.0,\"timestamp\":\"2026-11-23T03:00:00Z\"}\n" +
        "{\"step\":2,\"epoch\":1.0,\"train_loss\":2.0,\"val_loss\":2.2,\"lr\":0.001,\"tokens_per_second\":950.0,\"timestamp\":\"2026-11-23T03:00:01Z\"}\n";

    [Fact]
    public async Task Eval_model_scores_a_chat_dataset_and_writes_a_report_with_the_run_curves()
    {
        var model = SharedData.Require("models/stories260K/stories260K.bin");
        var tokenizer = SharedData.Require("models/stories260K/tok512.bin");
        using var dir = new TempDirectory();
        var data = dir.Write("eval.jsonl", Chat);
        dir.Write("run/metrics.jsonl", Metrics);

        var (exit, json) = await CliRunner.RunJsonAsync(
            "eval", "model", "--model", model, "--tokenizer", tokenizer, "--data", data, "--max-examples", "2", "--max-new-tokens", "16",
            "--report", dir.File("report"), "--run", dir.File("run"));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(1, json.GetProperty("refused_lines").GetInt32());
        var result = json.GetProperty("result");
        Assert.Equal(2, result.GetProperty("examples").GetInt32());
        Assert.True(result.GetProperty("perplexity").GetDouble() > 1);
        Assert.InRange(result.GetProperty("token_accuracy").GetDouble(), 0, 1);
        Assert.Equal(2, result.GetProperty("generation").GetProperty("answers").GetInt32());
        Assert.Equal(2, json.GetProperty("training_records").GetInt32());
        var html = await File.ReadAllTextAsync(dir.File("report/report.html"), TestContext.Current.CancellationToken);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("Tom saw a big red ball in the park.", html, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("report/report.json")));
    }

    [Fact]
    public async Task Eval_model_with_a_lora_adapter_scores_the_adapted_model_and_a_zero_adapter_changes_nothing()
    {
        var model = SharedData.Require("models/stories260K/stories260K.bin");
        var tokenizer = SharedData.Require("models/stories260K/tok512.bin");
        using var dir = new TempDirectory();
        var data = dir.Write("eval.jsonl", Chat);
        using (var shape = LlamaModel.LoadLlama2c(model))
        {
            // PEFT's initialisation (B = 0) is a no-op adapter; a second one gets random B so it must change the scores.
            using var zero = LoraAdapter.Create(new LoraConfig(4, 8), shape.Config, seed: 1);
            zero.Save(dir.File("zero"));
            using var random = LoraAdapter.Create(new LoraConfig(4, 8), shape.Config, seed: 1);
            using var generator = new Generator(3);
            using var noGrad = no_grad();
            foreach (var (layer, module) in random.Targets)
            {
                using var scope = NewDisposeScope();
                var b = random.LoraB(layer, module)!;
                b.copy_(randn(b.shape, generator: generator).mul_(0.5));
            }

            random.Save(dir.File("random"));
        }

        string[] Args(params string[] extra) => ["eval", "model", "--model", model, "--tokenizer", tokenizer, "--data", data, "--no-generate", .. extra];
        var (baseExit, bare) = await CliRunner.RunJsonAsync(Args());
        var (zeroExit, zeroed) = await CliRunner.RunJsonAsync(Args("--adapter", dir.File("zero")));
        var (randomExit, adapted) = await CliRunner.RunJsonAsync(Args("--adapter", dir.File("random")));

        Assert.Equal([ExitCodes.Success, ExitCodes.Success, ExitCodes.Success], [baseExit, zeroExit, randomExit]);
        var perplexity = bare.GetProperty("result").GetProperty("perplexity").GetDouble();
        Assert.Equal(perplexity, zeroed.GetProperty("result").GetProperty("perplexity").GetDouble(), 4);
        Assert.NotEqual(perplexity, adapted.GetProperty("result").GetProperty("perplexity").GetDouble(), 2);
        Assert.Equal(dir.File("random"), adapted.GetProperty("adapter").GetString());
    }

    [Fact]
    public async Task Eval_model_with_a_missing_adapter_fails_with_file_not_found()
    {
        var model = SharedData.Require("models/stories260K/stories260K.bin");
        var tokenizer = SharedData.Require("models/stories260K/tok512.bin");
        using var dir = new TempDirectory();
        var data = dir.Write("eval.jsonl", Chat);

        var (exit, json) = await CliRunner.RunJsonAsync("eval", "model", "--model", model, "--tokenizer", tokenizer, "--adapter", dir.File("adapter"), "--data", data);

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("file_not_found", json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Eval_model_on_a_missing_dataset_fails_with_file_not_found()
    {
        using var dir = new TempDirectory();

        var (exit, json) = await CliRunner.RunJsonAsync("eval", "model", "--model", dir.File("m.bin"), "--data", dir.File("none.jsonl"));

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("file_not_found", json.GetProperty("error").GetProperty("code").GetString());
    }
}
