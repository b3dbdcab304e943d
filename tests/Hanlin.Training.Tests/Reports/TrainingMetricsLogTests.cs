using Hanlin.Core.Errors;
using Hanlin.Training.Reports;

namespace Hanlin.Training.Tests.Reports;

public sealed class TrainingMetricsLogTests
{
    internal const string Lines =
        "{\"step\":1,\"epoch\":0.1,\"train_loss\":2.5,\"val_loss\":null,\"lr\":0.0001,\"tokens_per_second\":812.5,\"timestamp\":\"2026-11-23T03:00:00Z\"}\n" +
        "{\"step\":2,\"epoch\":0.2,\"train_loss\":2.1,\"val_loss\":2.3,\"lr\":0.0002,\"tokens_per_second\":null,\"timestamp\":\"2026-11-23T03:00:01+00:00\"}\n" +
        "\n" +
        "{\"step\":3,\"epoch\":0.3,\"train_loss\":1.7,\"val_loss\":null,\"lr\":null,\"tokens_per_second\":790,\"timestamp\":\"2026-11-23T03:00:02Z\"}\n";

    [Fact]
    public async Task A_run_directory_metrics_file_is_read_with_its_nulls()
    {
        using var dir = new TempDirectory();
        dir.Write("metrics.jsonl", Lines);

        var records = await TrainingMetricsLog.ReadAsync(dir.Path, TestContext.Current.CancellationToken);

        Assert.Equal([1, 2, 3], records.Select(r => r.Step));
        Assert.Null(records[0].ValLoss);
        Assert.Equal(2.3, records[1].ValLoss);
        Assert.Null(records[2].LearningRate);
        Assert.Equal(0.0002, records[1].LearningRate);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 3, 0, 2, TimeSpan.Zero), records[2].Timestamp);
    }

    [Fact]
    public async Task A_half_written_last_line_is_ignored_but_a_bad_middle_line_is_reported_by_number()
    {
        using var dir = new TempDirectory();
        var cut = dir.Write("cut.jsonl", Lines + "{\"step\":4,\"epoch\":0.4,\"train_lo");
        var bad = dir.Write("bad.jsonl", "{\"step\":1,\"epoch\":0.1,\"train_loss\":2.5,\"val_loss\":null,\"lr\":null,\"tokens_per_second\":null,\"timestamp\":\"2026-11-23T03:00:00Z\"}\nnot json\n" + Lines);

        Assert.Equal(3, (await TrainingMetricsLog.ReadAsync(cut, TestContext.Current.CancellationToken)).Count);
        var error = await Assert.ThrowsAsync<HanlinException>(() => TrainingMetricsLog.ReadAsync(bad, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_metrics_file_is_file_not_found()
    {
        using var dir = new TempDirectory();

        var error = await Assert.ThrowsAsync<HanlinException>(() => TrainingMetricsLog.ReadAsync(dir.Path, TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.FileNotFound, error.Code);
    }
}
