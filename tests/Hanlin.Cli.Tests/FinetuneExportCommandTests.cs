using System.Text.Json;

namespace Hanlin.Cli.Tests;

public sealed class FinetuneExportCommandTests
{
    private const string Example = """{"messages":[{"role":"user","content":"Adult dose of aspirin?"},{"role":"assistant","content":"300 to 1000 mg."}]}""";

    [Fact]
    public async Task Export_writes_the_script_the_yaml_options_as_json_the_data_and_a_gpu_job_manifest()
    {
        using var dir = new TempDirectory();
        var data = dir.Write("train.jsonl", Example + "\n");
        var validation = dir.Write("valid.jsonl", Example + "\n");
        var config = dir.Write("job.yaml", """
            learning_rate: 0.001
            epochs: 2
            lora:
              rank: 4
              alpha: 8
              target_modules: [q_proj, v_proj]
            stages:
              - name: 'warm'
                max_steps: 5
            """);

        var (exit, json) = await CliRunner.RunJsonAsync(
            "finetune", "export", "--model", "/models/qwen2.5-7b", "--data", data, "--validation", validation, "--config", config,
            "--out", dir.File("recipe"), "--gpus", "4", "--job-name", "pharma-lora", "--namespace", "ml");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(
            ["README.md", "config.json", "data/train.jsonl", "data/validation.jsonl", "k8s-job.yaml", "run.sh", "train.py"],
            json.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        var options = JsonDocument.Parse(File.ReadAllText(dir.File("recipe/config.json"))).RootElement;
        Assert.Equal(0.001, options.GetProperty("learning_rate").GetDouble());
        Assert.Equal(4, options.GetProperty("lora").GetProperty("rank").GetInt32());
        Assert.Equal(["q_proj", "v_proj"], options.GetProperty("lora").GetProperty("target_modules").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("warm", options.GetProperty("stages")[0].GetProperty("name").GetString());
        Assert.Equal(Example + "\n", File.ReadAllText(dir.File("recipe/data/train.jsonl")));
        var manifest = File.ReadAllText(dir.File("recipe/k8s-job.yaml"));
        Assert.Contains("name: pharma-lora", manifest, StringComparison.Ordinal);
        Assert.Contains("namespace: ml", manifest, StringComparison.Ordinal);
        Assert.Contains("nvidia.com/gpu: 4", manifest, StringComparison.Ordinal);
        Assert.Contains("\"--nproc_per_node=4\"", manifest, StringComparison.Ordinal);
        Assert.Contains("\"/models/qwen2.5-7b\"", manifest, StringComparison.Ordinal);
        Assert.Contains("--nproc_per_node=\"${1:-4}\" train.py '--config' 'config.json' '--model' '/models/qwen2.5-7b'", File.ReadAllText(dir.File("recipe/run.sh")), StringComparison.Ordinal);
        Assert.Contains("get_peft_model", File.ReadAllText(dir.File("recipe/train.py")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_refuses_a_missing_dataset_bad_yaml_and_a_folder_that_is_not_empty_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        var data = dir.Write("train.jsonl", Example + "\n");
        dir.Write("used/keep.txt", "x");
        var badYaml = dir.Write("bad.yaml", "lora: [unclosed\n");

        var (missingExit, missing) = await CliRunner.RunJsonAsync("finetune", "export", "--model", "/m", "--data", dir.File("nope.jsonl"), "--out", dir.File("r1"));
        var (yamlExit, yaml) = await CliRunner.RunJsonAsync("finetune", "export", "--model", "/m", "--data", data, "--config", badYaml, "--out", dir.File("r2"));
        var (usedExit, used) = await CliRunner.RunJsonAsync("finetune", "export", "--model", "/m", "--data", data, "--out", dir.File("used"));

        Assert.Equal("file_not_found", missing.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("invalid_argument", yaml.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("invalid_argument", used.GetProperty("error").GetProperty("code").GetString());
        Assert.All(new[] { missingExit, yamlExit, usedExit }, e => Assert.NotEqual(ExitCodes.Success, e));
        Assert.False(Directory.Exists(dir.File("r1")));
        Assert.False(Directory.Exists(dir.File("r2")));
        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(dir.File("used")).Select(Path.GetFileName));
        Assert.Equal(["bad.yaml", "train.jsonl", "used"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
