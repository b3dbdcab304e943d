namespace Hanlin.Cli.Tests;

public sealed class BenchIngestStagesTests
{
    [Fact]
    public async Task Stages_report_the_cost_of_every_stage_of_a_real_plain_text_ingest()
    {
        var (exit, json) = await CliRunner.RunJsonAsync("bench", "ingest", "--stages", "--plain-mb", "2");

        Assert.Equal(ExitCodes.Success, exit);
        var report = json.GetProperty("stages");
        Assert.Equal(2 * 1048576L, report.GetProperty("bytes").GetInt64(), tolerance: 64 * 1024);
        Assert.True(report.GetProperty("chunks").GetInt32() > 1000, "2 MB of text should make well over a thousand chunks");
        var stages = report.GetProperty("stages").EnumerateArray().ToArray();
        Assert.Equal(
            ["read + SHA-256", "sniff + decode", "normalise", "chunk + count + SimHash", "BM25 index"],
            stages.Select(s => s.GetProperty("stage").GetString()));
        Assert.All(stages, s => Assert.True(s.GetProperty("seconds").GetDouble() > 0, s.GetProperty("stage").GetString()));
        var total = stages.Sum(s => s.GetProperty("milliseconds_per_megabyte").GetDouble());
        Assert.Equal(total, report.GetProperty("milliseconds_per_megabyte").GetDouble(), 6);
        Assert.Equal(Environment.ProcessorCount * 1000 / total, report.GetProperty("ceiling_megabytes_per_second").GetDouble(), 6);
    }

    [Fact]
    public async Task Stages_without_a_plain_text_size_is_a_usage_error()
    {
        var (exit, json) = await CliRunner.RunJsonAsync("bench", "ingest", "--stages", "--plain-mb", "0");

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("invalid_argument", json.GetProperty("error").GetProperty("code").GetString());
    }
}
