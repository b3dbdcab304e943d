namespace Hanlin.Cli.Tests;

public sealed class AskCommandTests
{
    [Fact]
    public async Task Ask_answers_from_the_demo_collection_with_a_citation_table_and_json()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("demo", "--data", data)).ExitCode);

        var (exit, text) = await CliRunner.RunAsync("ask", "What is the antidote for warfarin overdose?", "-c", "demo", "--data", data);
        var (jsonExit, json) = await CliRunner.RunJsonAsync("ask", "What is the antidote for warfarin overdose?", "--data", data);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("vitamin K1 (phytomenadione) [1]", text, StringComparison.Ordinal);
        Assert.Contains("warfarin-sodium-tablets.en.md", text, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, jsonExit);
        Assert.False(json.GetProperty("refused").GetBoolean());
        Assert.Equal("en", json.GetProperty("language").GetString());
        Assert.Contains("warfarin-sodium-tablets.en.md", json.GetProperty("citations")[0].GetProperty("document_name").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_answers_rejects_a_corpus_line_that_is_not_json()
    {
        using var dir = new TempDirectory();
        var corpus = dir.Write("corpus.jsonl", "{\"id\":\"p1\",\"text\":\"The antidote is vitamin K1.\"}\nnot json\n");
        var queries = dir.Write("queries.jsonl", "{\"id\":\"q1\",\"question\":\"What is the antidote?\",\"answers\":[\"vitamin K1\"],\"gold_passage_ids\":[\"p1\"]}\n");

        var (exit, json) = await CliRunner.RunJsonAsync("eval", "answers", "--corpus", corpus, "--queries", queries);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("invalid_argument", json.GetProperty("error").GetProperty("code").GetString());
    }
}
