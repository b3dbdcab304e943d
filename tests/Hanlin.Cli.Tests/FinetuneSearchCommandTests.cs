using System.Text.Json;

namespace Hanlin.Cli.Tests;

public sealed class FinetuneSearchCommandTests
{
    [Fact]
    public async Task A_grid_search_trains_every_trial_keeps_the_best_adapter_and_a_rerun_skips_finished_trials()
    {
        using var dir = new TempDirectory();
        var model = dir.File("tiny-chat");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-chat")))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }

        string Lines(int offset) => string.Join('\n', Enumerable.Range(offset, 8).Select(i => JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "user", content = $"Dose {i % 4}?" }, new { role = "assistant", content = $"{(i % 4) + 1}00 mg." } },
        })));
        var train = dir.Write("train.jsonl", Lines(0));
        var valid = dir.Write("valid.jsonl", Lines(8));
        var config = dir.Write("base.yaml", "batch_size: 4\ncheckpoint_interval: 100\nlora:\n  target_modules: [q_proj, v_proj]\n");
        string[] args =
        [
            "finetune", "search", "--model", model, "--data", train, "--validation", valid, "--config", config, "--out", dir.File("search"),
            "--strategy", "grid", "--lr-min", "0.01", "--lr-max", "0.01", "--lr-steps", "1", "--ranks", "2,4", "--alphas", "8", "--epochs", "1",
        ];

        var (exit, json) = await CliRunner.RunJsonAsync(args);

        Assert.True(exit == ExitCodes.Success, json.ToString());
        var trials = json.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Equal("completed", t.GetProperty("status").GetString(), ignoreCase: true));
        var best = json.GetProperty("best");
        Assert.Equal(trials.Min(t => t.GetProperty("metric").GetDouble()), best.GetProperty("metric").GetDouble());
        Assert.True(File.Exists(dir.File("search/best/adapter_model.safetensors")));
        Assert.True(File.Exists(dir.File("search/trials.json")));

        var (againExit, again) = await CliRunner.RunJsonAsync(args);
        Assert.Equal(ExitCodes.Success, againExit);
        Assert.Equal(
            trials.Select(t => t.GetProperty("started_at").GetString()),
            again.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("started_at").GetString()));
    }
}
