using System.Text.Json;
using System.Xml.Linq;
using Hanlin.Training.Datasets;
using Hanlin.Training.Evaluation;
using Hanlin.Training.Reports;

namespace Hanlin.Training.Tests.Reports;

public sealed class EvaluationReportWriterTests
{
    private static EvaluationReport Report(IReadOnlyList<TrainingMetricsRecord> curve) => new(
        "models/tiny.bin",
        null,
        "data/eval.jsonl",
        DatasetFormat.Chat,
        new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero),
        new ModelEvaluationResult(2, 40, 1.25, Math.Exp(1.25), 0.5, 0,
            new GenerationMetrics(2, 12.5, 0.4, 0.2, 0.35, 0.5, 0.6),
            [new GeneratedAnswer(1, "What is <b>aspirin</b>?", "阿司匹林是一种药。", "阿司匹林")]),
        curve);

    [Fact]
    public async Task The_html_report_is_self_contained_with_the_metrics_the_answers_and_an_svg_loss_chart()
    {
        using var dir = new TempDirectory();
        var metrics = dir.Write("run/metrics.jsonl", TrainingMetricsLogTests.Lines);
        var curve = await TrainingMetricsLog.ReadAsync(metrics, TestContext.Current.CancellationToken);

        var files = await EvaluationReportWriter.WriteAsync(Report(curve), dir.File("report"), TestContext.Current.CancellationToken);

        var html = await File.ReadAllTextAsync(files.HtmlPath, TestContext.Current.CancellationToken);
        Assert.Contains("Perplexity", html, StringComparison.Ordinal);
        Assert.Contains("3.4903", html, StringComparison.Ordinal); // exp(1.25)
        Assert.Contains("阿司匹林是一种药。", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;aspirin&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        var start = html.IndexOf("<svg", StringComparison.Ordinal);
        var end = html.IndexOf("</svg>", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the loss chart is inline SVG");
        var svg = XDocument.Parse(html[start..(end + "</svg>".Length)]);
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value.Contains("validation loss", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_json_report_carries_the_metrics_and_the_training_records_in_snake_case()
    {
        using var dir = new TempDirectory();

        var files = await EvaluationReportWriter.WriteAsync(Report([]), dir.Path, TestContext.Current.CancellationToken);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(files.JsonPath, TestContext.Current.CancellationToken));
        var result = json.RootElement.GetProperty("result");
        Assert.Equal(Math.Exp(1.25), result.GetProperty("perplexity").GetDouble(), 10);
        Assert.Equal(12.5, result.GetProperty("generation").GetProperty("bleu4").GetDouble());
        Assert.Equal("chat", json.RootElement.GetProperty("format").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("training").GetArrayLength());
        Assert.DoesNotContain("<svg", await File.ReadAllTextAsync(files.HtmlPath, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
