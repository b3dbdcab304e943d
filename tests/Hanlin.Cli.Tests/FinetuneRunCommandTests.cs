using System.Text.Json;
using Hanlin.Training.Jobs;

namespace Hanlin.Cli.Tests;

public sealed class FinetuneRunCommandTests
{
    private static string TinyChat(TempDirectory dir)
    {
        var target = dir.File("tiny-chat");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-chat")))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    private static string Dataset(TempDirectory dir) => dir.Write("train.jsonl", string.Join('\n', Enumerable.Range(0, 12).Select(i => JsonSerializer.Serialize(new
    {
        messages = new[] { new { role = "user", content = $"Dose {i % 3}?" }, new { role = "assistant", content = $"{(i % 3) + 1}00 mg." } },
    }))));

    [Fact]
    public async Task Run_trains_an_adapter_records_the_job_in_the_shared_store_and_registers_the_model()
    {
        using var dir = new TempDirectory();
        var config = dir.Write("job.yaml", """
            max_steps: 6
            batch_size: 4
            learning_rate: 0.01
            eval_interval: 0
            checkpoint_interval: 3
            lora:
              rank: 2
              alpha: 4
              target_modules: [q_proj, v_proj]
            """);

        var (exit, json) = await CliRunner.RunJsonAsync(
            "finetune", "run", "--model", TinyChat(dir), "--data", Dataset(dir), "--config", config, "--suffix", "cli", "--seed", "5", "--data-dir", dir.File("data"));

        Assert.True(exit == ExitCodes.Success, json.ToString());
        Assert.Equal("succeeded", json.GetProperty("status").GetString());
        var model = json.GetProperty("fine_tuned_model").GetString()!;
        Assert.StartsWith("ft:tiny-chat:cli:", model, StringComparison.Ordinal);
        var store = FineTuneStore.ForDataDirectory(dir.File("data"));
        var job = await store.GetJobAsync(json.GetProperty("id").GetString()!, TestContext.Current.CancellationToken);
        Assert.Equal(5, job.Seed);
        var checkpoints = await store.ListCheckpointsAsync(job.Id, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(6, checkpoints.Items.Select(c => c.Step));
        var (listExit, models) = await CliRunner.RunJsonAsync("models", "list", "--data", dir.File("data"));
        Assert.Equal(ExitCodes.Success, listExit);
        Assert.Contains(model, models.ToString(), StringComparison.Ordinal);

        var (againExit, again) = await CliRunner.RunJsonAsync("finetune", "run", "--resume", job.Id, "--data-dir", dir.File("data"));
        Assert.Equal((ExitCodes.Success, model), (againExit, again.GetProperty("fine_tuned_model").GetString()));
    }

    [Fact]
    public async Task Run_refuses_unknown_or_invalid_options_by_name_before_storing_anything()
    {
        using var dir = new TempDirectory();
        var typo = dir.Write("typo.yaml", "learnin_rate: 0.01\n");
        var bad = dir.Write("bad.yaml", "lora:\n  rank: 0\n");

        var (typoExit, typoJson) = await CliRunner.RunJsonAsync("finetune", "run", "--model", TinyChat(dir), "--data", Dataset(dir), "--config", typo, "--data-dir", dir.File("data"));
        var (badExit, badJson) = await CliRunner.RunJsonAsync("finetune", "run", "--model", dir.File("tiny-chat"), "--data", dir.File("train.jsonl"), "--config", bad, "--data-dir", dir.File("data"));

        Assert.Equal(ExitCodes.UsageError, typoExit);
        Assert.Contains("learnin_rate", typoJson.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageError, badExit);
        Assert.Contains("lora.rank", badJson.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await FineTuneStore.ForDataDirectory(dir.File("data")).ListJobsAsync(cancellationToken: TestContext.Current.CancellationToken)).Items);
    }

    [Fact]
    public async Task A_trained_adapter_merged_into_its_base_is_registered_and_computes_what_the_adapter_on_the_fly_computes()
    {
        using var dir = new TempDirectory();
        var config = dir.Write("job.yaml", "max_steps: 4\nbatch_size: 4\nlearning_rate: 0.01\neval_interval: 0\nlora:\n  rank: 2\n  alpha: 4\n");
        var (_, run) = await CliRunner.RunJsonAsync("finetune", "run", "--model", TinyChat(dir), "--data", Dataset(dir), "--config", config, "--data-dir", dir.File("data"));
        var adapterName = run.GetProperty("fine_tuned_model").GetString()!;

        var (exit, merged) = await CliRunner.RunJsonAsync("models", "merge", adapterName, "--out", dir.File("merged"), "--data", dir.File("data"));

        Assert.True(exit == ExitCodes.Success, merged.ToString());
        Assert.Equal("merged", merged.GetProperty("kind").GetString());
        Assert.Equal(adapterName + "-merged", merged.GetProperty("name").GetString());
        var registry = Hanlin.Training.Registry.ModelRegistry.ForDataDirectory(dir.File("data"));
        var adapterEntry = await registry.GetAsync(adapterName, cancellationToken: TestContext.Current.CancellationToken);
        using var onTheFly = await Hanlin.Models.Llama.LlamaModel.LoadHuggingFaceAsync(dir.File("tiny-chat"), cancellationToken: TestContext.Current.CancellationToken);
        using var adapter = Hanlin.Models.Lora.LoraAdapter.Load(adapterEntry.Directory);
        onTheFly.AttachAdapter(adapter);
        using var folded = await Hanlin.Models.Llama.LlamaModel.LoadHuggingFaceAsync(dir.File("merged"), cancellationToken: TestContext.Current.CancellationToken);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var ids = TorchSharp.torch.tensor(new long[] { 60, 117, 115, 101, 114, 62, 68, 111 }).unsqueeze(0);
        using var cacheA = onTheFly.CreateCache(maxSequenceLength: 16);
        using var cacheB = folded.CreateCache(maxSequenceLength: 16);
        var difference = (onTheFly.Forward(ids, 0, cacheA) - folded.Forward(ids, 0, cacheB)).abs().max().item<float>();
        Assert.True(difference <= 1e-4f, $"max |logit difference| {difference}");
    }
}

