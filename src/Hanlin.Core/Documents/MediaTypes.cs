namespace Hanlin.Core.Documents;

/// <summary>The media types Hanlin ingests. Detected from content, not trusted from extensions.</summary>
public static class MediaTypes
{
    public const string PlainText = "text/plain";
    public const string Markdown = "text/markdown";
    public const string Html = "text/html";
    public const string Csv = "text/csv";
    public const string Pdf = "application/pdf";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

    /// <summary>A short name for tables and logs (<c>pdf</c>, <c>docx</c>, ...).</summary>
    public static string ShortName(string mediaType) => mediaType switch
    {
        PlainText => "text",
        Markdown => "markdown",
        Html => "html",
        Csv => "csv",
        Pdf => "pdf",
        Docx => "docx",
        Xlsx => "xlsx",
        Pptx => "pptx",
        _ => mediaType,
    };
}
