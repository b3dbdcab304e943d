namespace Hanlin.Cli.Tests;

public sealed class CliCommandTests
{
    [Fact]
    public async Task Ingest_with_json_reports_every_file_and_a_summary_and_exits_1_when_some_files_failed()
    {
        using var dir = new TempDirectory();
        dir.Write("in/leaflet.md", "# Aspirin\n\n## Contraindications\n\nActive peptic ulcer. Known allergy to salicylates.");
        dir.Write("in/policy.html", "<html><head><title>Fee policy</title><script>var x=1;</script></head><body><nav>Home | About</nav><main><h1>Fees</h1><p>The redemption fee is 0.5% within 7 days.</p></main></body></html>");
        dir.Write("in/broken.txt", []);

        var (exit, json) = await CliRunner.RunJsonAsync("ingest", dir.File("in"), "--collection", "pharmacy", "--data", dir.File("data"));

        Assert.Equal(ExitCodes.PartialFailure, exit);
        var files = json.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(3, files.Count);
        var broken = files.Single(f => f.GetProperty("path").GetString()!.EndsWith("broken.txt", StringComparison.Ordinal));
        Assert.Equal("failed", broken.GetProperty("status").GetString());
        Assert.Equal("empty_file", broken.GetProperty("error").GetProperty("code").GetString());
        var leaflet = files.Single(f => f.GetProperty("path").GetString()!.EndsWith("leaflet.md", StringComparison.Ordinal));
        Assert.Equal("ingested", leaflet.GetProperty("status").GetString());
        Assert.StartsWith("doc_", leaflet.GetProperty("document_id").GetString(), StringComparison.Ordinal);
        Assert.True(leaflet.GetProperty("chunks").GetInt32() > 0);
        var summary = json.GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("ingested").GetInt32());
        Assert.Equal(1, summary.GetProperty("failed").GetInt32());

        var (again, second) = await CliRunner.RunJsonAsync("ingest", dir.File("in/leaflet.md"), dir.File("in/policy.html"), "-c", "pharmacy", "--data", dir.File("data"));
        Assert.Equal(ExitCodes.Success, again);
        Assert.All(second.GetProperty("files").EnumerateArray(), f => Assert.Equal("unchanged", f.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_missing_required_option_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var (exit, output) = await CliRunner.RunAsync("ingest", dir.Path, "--data", dir.File("data"));
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains("--collection", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_collection_name_is_a_usage_error_with_a_stable_code()
    {
        using var dir = new TempDirectory();
        var (exit, json) = await CliRunner.RunJsonAsync("collections", "create", "../etc", "--data", dir.File("data"));
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("invalid_collection_name", json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Collections_can_be_created_listed_and_deleted()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");

        var (created, _) = await CliRunner.RunJsonAsync("collections", "create", "finance", "--description", "产品规则", "--data", data);
        Assert.Equal(ExitCodes.Success, created);
        var (duplicate, duplicateJson) = await CliRunner.RunJsonAsync("collections", "create", "finance", "--data", data);
        Assert.Equal(ExitCodes.Failure, duplicate);
        Assert.Equal("collection_exists", duplicateJson.GetProperty("error").GetProperty("code").GetString());

        var (_, list) = await CliRunner.RunJsonAsync("collections", "list", "--data", data);
        var only = Assert.Single(list.GetProperty("collections").EnumerateArray());
        Assert.Equal("finance", only.GetProperty("name").GetString());
        Assert.Equal("产品规则", only.GetProperty("description").GetString());

        Assert.Equal(ExitCodes.Success, (await CliRunner.RunJsonAsync("collections", "delete", "finance", "--data", data)).ExitCode);
        var (missing, missingJson) = await CliRunner.RunJsonAsync("collections", "delete", "finance", "--data", data);
        Assert.Equal(ExitCodes.Failure, missing);
        Assert.Equal("collection_not_found", missingJson.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Documents_and_chunks_commands_show_what_was_stored_with_provenance()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        dir.Write("in/fund.md", "# 稳健债券基金\n\n## 赎回费率\n\n持有不满7日的份额，赎回费率为1.5%。持有满7日不满30日的份额，赎回费率为0.1%。");
        await CliRunner.RunJsonAsync("ingest", dir.File("in"), "-c", "finance", "--data", data);

        var (_, docs) = await CliRunner.RunJsonAsync("documents", "list", "--collection", "finance", "--data", data);
        var doc = Assert.Single(docs.GetProperty("documents").EnumerateArray());
        var id = doc.GetProperty("id").GetString()!;
        Assert.Equal("fund.md", doc.GetProperty("source").GetString()![^7..]);

        var (_, show) = await CliRunner.RunJsonAsync("documents", "show", id, "--data", data);
        Assert.Single(show.GetProperty("versions").EnumerateArray());

        var (_, chunks) = await CliRunner.RunJsonAsync("chunks", id, "--data", data);
        var chunk = chunks.GetProperty("chunks").EnumerateArray().Single(c => c.GetProperty("text").GetString()!.Contains("1.5%", StringComparison.Ordinal));
        Assert.Contains("赎回费率", chunk.GetProperty("section_path").GetString(), StringComparison.Ordinal);
        Assert.True(chunk.GetProperty("char_end").GetInt32() > chunk.GetProperty("char_start").GetInt32());

        var (tableExit, table) = await CliRunner.RunAsync("chunks", id, "--data", data);
        Assert.Equal(ExitCodes.Success, tableExit);
        Assert.Contains("赎回费率", table, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("documents", "delete", id, "--data", data)).ExitCode);
        var (gone, goneJson) = await CliRunner.RunJsonAsync("documents", "show", id, "--data", data);
        Assert.Equal(ExitCodes.Failure, gone);
        Assert.Equal("document_not_found", goneJson.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Demo_ingests_the_bundled_samples_and_a_second_run_finds_them_unchanged()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");

        var (exit, first) = await CliRunner.RunJsonAsync("demo", "--data", data);

        Assert.Equal(ExitCodes.Success, exit);
        var summary = first.GetProperty("ingest").GetProperty("summary");
        Assert.True(summary.GetProperty("ingested").GetInt32() >= 8, first.ToString());
        Assert.Equal(0, summary.GetProperty("failed").GetInt32());
        var types = first.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("media_type").GetString()).ToHashSet();
        Assert.Contains("application/pdf", types);
        Assert.Contains("text/markdown", types);
        Assert.Contains("application/vnd.openxmlformats-officedocument.wordprocessingml.document", types);
        Assert.Contains("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", types);

        var (_, second) = await CliRunner.RunJsonAsync("demo", "--data", data);
        Assert.Equal(0, second.GetProperty("ingest").GetProperty("summary").GetProperty("ingested").GetInt32());
    }
}
