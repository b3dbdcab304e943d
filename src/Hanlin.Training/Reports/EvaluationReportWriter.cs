using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hanlin.Core.Errors;

namespace Hanlin.Training.Reports;

/// <summary>
/// Writes an <see cref="EvaluationReport"/> as <c>report.json</c> (snake_case) and <c>report.html</c>: one page with
/// the metrics table, the loss curves drawn inline as SVG and the generated answers beside their references, readable
/// offline with nothing else.
/// </summary>
public static class EvaluationReportWriter
{
    /// <summary>The JSON serialisation of reports (snake_case names, enums as strings, CJK unescaped).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },

        // NaN accuracy or an infinite perplexity must not make the report unwritable.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <c>report.json</c> and <c>report.html</c> into <paramref name="directory"/> (created when missing).</summary>
    /// <exception cref="HanlinException"><c>unreadable_file</c> when the directory cannot be written.</exception>
    public static async Task<EvaluationReportFiles> WriteAsync(EvaluationReport report, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var files = new EvaluationReportFiles(Path.Combine(directory, "report.json"), Path.Combine(directory, "report.html"));
        try
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(files.JsonPath, JsonSerializer.Serialize(report, JsonOptions), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(files.HtmlPath, RenderHtml(report), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"The report cannot be written to '{directory}': {ex.Message}", ex);
        }

        return files;
    }

    /// <summary>The report as one self-contained HTML page.</summary>
    public static string RenderHtml(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var r = report.Result;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Hanlin evaluation</title><style>")
            .Append("body{font-family:sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}")
            .Append("</style></head><body>\n<h1>Model evaluation</h1>\n<table>");
        Row(html, "Model", report.Model);
        Row(html, "Adapter", report.Adapter ?? "none");
        Row(html, "Dataset", $"{report.Dataset} ({Name(report.Format)})");
        Row(html, "Evaluated at", report.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
        html.Append("</table>\n<h2>Metrics</h2>\n<table><tr><th>Metric</th><th>Value</th></tr>");
        Row(html, "Examples", r.Examples.ToString(CultureInfo.InvariantCulture));
        Row(html, "Target tokens", r.TargetTokens.ToString(CultureInfo.InvariantCulture));
        Row(html, "Mean loss (nats/token)", F(r.MeanLoss));
        Row(html, "Perplexity", F(r.Perplexity));
        Row(html, "Token accuracy", F(r.TokenAccuracy));
        Row(html, "Truncated examples", r.TruncatedExamples.ToString(CultureInfo.InvariantCulture));
        if (r.Generation is { } g)
        {
            Row(html, "Generated answers", g.Answers.ToString(CultureInfo.InvariantCulture));
            Row(html, "BLEU-4 (0-100)", F(g.Bleu4));
            Row(html, "ROUGE-1", F(g.Rouge1));
            Row(html, "ROUGE-2", F(g.Rouge2));
            Row(html, "ROUGE-L", F(g.RougeL));
            Row(html, "Exact match", F(g.ExactMatch));
            Row(html, "F1", F(g.F1));
        }

        html.Append("</table>\n");
        if (report.Training.Count > 0)
        {
            html.Append("<h2>Training curves</h2>\n");
            html.Append(LossCurveChart.RenderSvg(report.Training) ?? "<p>The run logged no loss.</p>");
            var last = report.Training[^1];
            html.Append(CultureInfo.InvariantCulture, $"\n<p>{report.Training.Count} records; last step {last.Step}, epoch {F(last.Epoch)}.</p>\n");
        }

        if (r.Samples.Count > 0)
        {
            html.Append("<h2>Generated answers</h2>\n<table><tr><th>Line</th><th>Question</th><th>Reference</th><th>Model</th></tr>");
            foreach (var s in r.Samples)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{s.LineNumber}</td><td>{E(s.Question)}</td><td>{E(s.Reference)}</td><td>{E(s.Prediction)}</td></tr>");
            }

            html.Append("</table>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static void Row(StringBuilder html, string name, string value) => html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
