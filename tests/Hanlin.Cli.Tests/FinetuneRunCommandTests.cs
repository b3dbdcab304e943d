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
}
