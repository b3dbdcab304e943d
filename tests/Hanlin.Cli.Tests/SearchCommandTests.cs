namespace Hanlin.Cli.Tests;

public sealed class SearchCommandTests
{
    [Fact]
    public async Task Search_finds_ingested_chunks_with_provenance_and_forgets_deleted_documents()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        dir.Write("in/aspirin.zh.md", "# 阿司匹林肠溶片\n\n## 禁忌\n\n活动性消化性溃疡患者禁用。\n\n## 药物相互作用\n\n与华法林合用时出血风险增加，应监测国际标准化比值。");
        dir.Write("in/fund.en.md", "# Bond Fund\n\n## Redemption fees\n\nUnits held for less than 7 days pay a redemption fee of 1.5%.");
        await CliRunner.RunJsonAsync("ingest", dir.File("in"), "-c", "kb", "--data", data);

        var (exit, zh) = await CliRunner.RunJsonAsync("search", "华法林 出血", "--data", data);
        Assert.Equal(ExitCodes.Success, exit);
        var top = zh.GetProperty("hits").EnumerateArray().First();
        Assert.EndsWith("aspirin.zh.md", top.GetProperty("document_name").GetString(), StringComparison.Ordinal);
        Assert.Contains("药物相互作用", top.GetProperty("section").GetString(), StringComparison.Ordinal);
        Assert.Contains("华法林", top.GetProperty("text").GetString(), StringComparison.Ordinal);

        var (_, en) = await CliRunner.RunJsonAsync("search", "redemption fee", "-c", "kb", "--data", data);
        var fund = en.GetProperty("hits").EnumerateArray().First();
        Assert.Contains("1.5%", fund.GetProperty("text").GetString(), StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("documents", "delete", fund.GetProperty("document_id").GetString()!, "--data", data)).ExitCode);
        var (_, after) = await CliRunner.RunJsonAsync("search", "redemption fee", "--data", data);
        Assert.DoesNotContain(after.GetProperty("hits").EnumerateArray(), h => h.GetProperty("document_name").GetString()!.EndsWith("fund.en.md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lost_index_is_repaired_from_storage_before_searching()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        dir.Write("in/warfarin.md", "# Warfarin\n\n## Monitoring\n\nMonitor the INR at least weekly during initiation.");
        await CliRunner.RunJsonAsync("ingest", dir.File("in"), "-c", "kb", "--data", data);
        Directory.Delete(Path.Combine(data, "index"), recursive: true);

        var (_, hits) = await CliRunner.RunJsonAsync("search", "INR weekly", "--data", data);

        Assert.Contains("INR", hits.GetProperty("hits").EnumerateArray().Single().GetProperty("text").GetString(), StringComparison.Ordinal);
        var (_, rebuilt) = await CliRunner.RunJsonAsync("index", "rebuild", "--data", data);
        Assert.Equal(1, rebuilt.GetProperty("indexed_chunks").GetInt32());
    }

    [Fact]
    public async Task An_out_of_range_top_k_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var (exit, json) = await CliRunner.RunJsonAsync("search", "aspirin", "--top-k", "0", "--data", dir.File("data"));
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("invalid_argument", json.GetProperty("error").GetProperty("code").GetString());
    }
}
