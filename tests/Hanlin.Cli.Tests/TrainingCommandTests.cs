namespace Hanlin.Cli.Tests;

public sealed class TrainingCommandTests
{
    private const string Good = """{"messages":[{"role":"user","content":"Can I take aspirin with an ulcer?"},{"role":"assistant","content":"No."}]}""";

    [Fact]
    public async Task Dataset_validate_lists_every_bad_line_and_exits_1_or_3_when_strict()
    {
        using var dir = new TempDirectory();
        var data = dir.Write("train.jsonl", $"{Good}\n{{oops\n{Good.Replace("assistant", "user", StringComparison.Ordinal)}\n");

        var (exit, json) = await CliRunner.RunJsonAsync("finetune", "dataset", "validate", "--data", data);
        var (strictExit, strictJson) = await CliRunner.RunJsonAsync("finetune", "dataset", "validate", "--data", data, "--strict");

        Assert.Equal(ExitCodes.PartialFailure, exit);
        Assert.Equal("chat", json.GetProperty("format").GetString());
        Assert.Equal(1, json.GetProperty("examples").GetInt32());
        Assert.Equal(
            [(2, "malformed_json"), (3, "wrong_role_order"), (3, "no_assistant_turn")],
            json.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("kind").GetString())));
        Assert.Equal(ExitCodes.Failure, strictExit);
        Assert.Equal("dataset_invalid", strictJson.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Dataset_split_removes_duplicates_and_writes_the_same_parts_every_time()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 40).Select(i => $$"""{"instruction":"Fee question {{i}}?","output":"Answer {{i}}."}""").ToList();
        lines.Add(lines[0]);
        var data = dir.Write("alpaca.jsonl", string.Join('\n', lines));

        var (exit, json) = await CliRunner.RunJsonAsync("finetune", "dataset", "split", "--data", data, "--out", dir.File("a"));
        await CliRunner.RunJsonAsync("finetune", "dataset", "split", "--data", data, "--out", dir.File("b"));

        Assert.Equal(ExitCodes.Success, exit);
        var removed = Assert.Single(json.GetProperty("cleaning").GetProperty("removed").EnumerateArray());
        Assert.Equal((41, "exact_duplicate", 1), (removed.GetProperty("line").GetInt32(), removed.GetProperty("reason").GetString(), removed.GetProperty("duplicate_of_line").GetInt32()));
        Assert.Equal(40, json.GetProperty("parts").EnumerateArray().Sum(p => p.GetProperty("examples").GetInt32()));
        foreach (var part in new[] { "train", "validation", "test" })
        {
            Assert.Equal(File.ReadAllText(dir.File($"a/{part}.jsonl")), File.ReadAllText(dir.File($"b/{part}.jsonl")));
        }

        var (validateExit, _) = await CliRunner.RunJsonAsync("finetune", "dataset", "validate", "--data", dir.File("a/train.jsonl"), "--strict");
        Assert.Equal(ExitCodes.Success, validateExit);
    }

    [Fact]
    public async Task Dataset_stats_reports_token_statistics()
    {
        using var dir = new TempDirectory();
        var data = dir.Write("corpus.txt", "hello\n\nhello world\n");

        var (exit, json) = await CliRunner.RunJsonAsync("finetune", "dataset", "stats", "--data", data);

        Assert.Equal(ExitCodes.Success, exit);
        var tokens = json.GetProperty("tokens");
        Assert.Equal(2, tokens.GetProperty("examples").GetInt32());
        Assert.Equal(3, tokens.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public async Task Models_register_promote_verify_and_rollback_and_a_tampered_model_is_refused()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        dir.Write("v1/adapter_config.json", """{"r":8}""");
        dir.Write("v2/adapter_config.json", """{"r":16}""");
        var dataset = dir.Write("train.jsonl", Good);

        var (registered, first) = await CliRunner.RunJsonAsync("models", "register", dir.File("v1"), "--name", "fund-qa", "--dataset", dataset, "--hyperparameters", """{"rank":8}""", "--data", data);
        await CliRunner.RunJsonAsync("models", "register", dir.File("v2"), "--name", "fund-qa", "--data", data);
        Assert.Equal(ExitCodes.Success, registered);
        Assert.Equal(8, first.GetProperty("hyperparameters").GetProperty("rank").GetInt32());
        Assert.Equal(64, first.GetProperty("dataset_sha256").GetString()!.Length);

        Assert.Equal(ExitCodes.Success, (await CliRunner.RunJsonAsync("models", "promote", "fund-qa", "--version", "1", "--data", data)).ExitCode);
        Assert.Equal(ExitCodes.Success, (await CliRunner.RunJsonAsync("models", "promote", "fund-qa", "--version", "2", "--data", data)).ExitCode);
        var (_, rolledBack) = await CliRunner.RunJsonAsync("models", "rollback", "fund-qa", "--data", data);
        Assert.Equal(1, rolledBack.GetProperty("version").GetInt32());
        var (_, list) = await CliRunner.RunJsonAsync("models", "list", "--data", data);
        Assert.Equal(["promoted", "archived"], list.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("status").GetString()));

        dir.Write("v1/adapter_config.json", """{"r":9}""");
        var (verifyExit, verify) = await CliRunner.RunJsonAsync("models", "verify", "fund-qa", "--data", data);
        Assert.Equal(ExitCodes.Failure, verifyExit);
        var problem = Assert.Single(verify.GetProperty("problems").EnumerateArray());
        Assert.Equal(("adapter_config.json", "mismatch"), (problem.GetProperty("path").GetString(), problem.GetProperty("kind").GetString()));
        var (promoteExit, promote) = await CliRunner.RunJsonAsync("models", "promote", "fund-qa", "--version", "1", "--data", data);
        Assert.Equal(ExitCodes.Failure, promoteExit);
        Assert.Equal("model_checksum_mismatch", promote.GetProperty("error").GetProperty("code").GetString());
    }
}
