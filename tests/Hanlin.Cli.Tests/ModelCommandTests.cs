using System.Text.Json;

namespace Hanlin.Cli.Tests;

public sealed class ModelCommandTests
{
    private static string Fixture(string name) => Path.Combine(SharedData.RepositoryRoot, "tests", "Hanlin.Models.Tests", "Fixtures", "hf", name);

    [Fact]
    public async Task Generate_json_prints_the_prompt_ids_the_generated_ids_and_the_text_of_the_reference_case()
    {
        var checkpoint = SharedData.Require("models/stories260K/stories260K.bin");
        var tokenizer = SharedData.Require("models/stories260K/tok512.bin");
        using var references = JsonDocument.Parse(await File.ReadAllTextAsync(SharedData.Require("models/stories260K/reference_outputs.json"), TestContext.Current.CancellationToken));
        var reference = references.RootElement.GetProperty("generation_cases")[0];
        var expected = reference.GetProperty("generated_token_ids_after_prompt").EnumerateArray().Select(e => e.GetInt32()).Take(10).ToList();

        var (exit, json) = await CliRunner.RunJsonAsync(
            "generate", "--model", checkpoint, "--tokenizer", tokenizer, "--prompt", reference.GetProperty("prompt").GetString()!,
            "--max-tokens", "10", "--greedy");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(1, json.GetProperty("prompt_token_ids")[0].GetInt32());
        Assert.Equal(expected, json.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.StartsWith(reference.GetProperty("generated_text_after_prompt").GetString()![..10], json.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_inspect_reports_architecture_parameters_and_context_of_a_hugging_face_directory()
    {
        var (exit, json) = await CliRunner.RunJsonAsync("model", "inspect", Fixture("qwen2-tied"));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("Qwen2", json.GetProperty("architecture").GetString());
        Assert.True(json.GetProperty("parameters").GetInt64() > 0);
        Assert.Equal(256, json.GetProperty("context").GetInt32());
    }

    [Fact]
    public async Task Embed_json_prints_one_normalised_vector_per_text()
    {
        var (exit, json) = await CliRunner.RunJsonAsync("embed", "--model", Fixture("bert"), "aspirin", "阿司匹林");

        Assert.Equal(ExitCodes.Success, exit);
        var rows = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        var vector = rows[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => v * v)), 4);
    }

    [Fact]
    public async Task Generate_with_a_missing_model_fails_with_file_not_found()
    {
        var (exit, json) = await CliRunner.RunJsonAsync("generate", "--model", "/nonexistent/model.bin", "--prompt", "x");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("file_not_found", json.GetProperty("error").GetProperty("code").GetString());
    }
}
