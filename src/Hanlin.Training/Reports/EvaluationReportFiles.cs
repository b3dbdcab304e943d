namespace Hanlin.Training.Reports;

/// <summary>The files <see cref="EvaluationReportWriter"/> wrote.</summary>
/// <param name="JsonPath">The machine-readable report.</param>
/// <param name="HtmlPath">The self-contained HTML page (charts inline, no external resource).</param>
public sealed record EvaluationReportFiles(string JsonPath, string HtmlPath);
