using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Core.Ingestion;

namespace Hanlin.Storage.Sqlite;

/// <summary>
/// Stable snake_case names for enums stored as text. Explicit rather than <c>ToString()</c> so renaming an
/// enum member can never silently orphan existing rows; the schema's CHECK constraints list the same names.
/// </summary>
internal static class SqliteEnumText
{
    public static string From(DocumentStatus value) => value switch
    {
        DocumentStatus.Ready => "ready",
        DocumentStatus.NeedsOcr => "needs_ocr",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    public static DocumentStatus ToDocumentStatus(string text) => text switch
    {
        "ready" => DocumentStatus.Ready,
        "needs_ocr" => DocumentStatus.NeedsOcr,
        _ => throw Unknown("document status", text),
    };

    public static string From(ChunkKind value) => value switch
    {
        ChunkKind.Paragraph => "paragraph",
        ChunkKind.Table => "table",
        ChunkKind.List => "list",
        ChunkKind.Heading => "heading",
        _ => throw new HanlinException(ErrorCodes.InvalidArgument, $"'{value}' is not a known chunk kind."),
    };

    public static ChunkKind ToChunkKind(string text) => text switch
    {
        "paragraph" => ChunkKind.Paragraph,
        "table" => ChunkKind.Table,
        "list" => ChunkKind.List,
        "heading" => ChunkKind.Heading,
        _ => throw Unknown("chunk kind", text),
    };

    public static string From(IngestionJobStatus value) => value switch
    {
        IngestionJobStatus.Running => "running",
        IngestionJobStatus.Succeeded => "succeeded",
        IngestionJobStatus.PartiallyFailed => "partially_failed",
        IngestionJobStatus.Failed => "failed",
        IngestionJobStatus.Cancelled => "cancelled",
        IngestionJobStatus.Interrupted => "interrupted",
        _ => throw new HanlinException(ErrorCodes.InvalidArgument, $"'{value}' is not a known job status."),
    };

    public static IngestionJobStatus ToJobStatus(string text) => text switch
    {
        "running" => IngestionJobStatus.Running,
        "succeeded" => IngestionJobStatus.Succeeded,
        "partially_failed" => IngestionJobStatus.PartiallyFailed,
        "failed" => IngestionJobStatus.Failed,
        "cancelled" => IngestionJobStatus.Cancelled,
        "interrupted" => IngestionJobStatus.Interrupted,
        _ => throw Unknown("job status", text),
    };

    public static string From(FileOutcome value) => value switch
    {
        FileOutcome.Ingested => "ingested",
        FileOutcome.Unchanged => "unchanged",
        FileOutcome.Duplicate => "duplicate",
        FileOutcome.Failed => "failed",
        _ => throw new HanlinException(ErrorCodes.InvalidArgument, $"'{value}' is not a known file outcome."),
    };

    public static FileOutcome ToFileOutcome(string text) => text switch
    {
        "ingested" => FileOutcome.Ingested,
        "unchanged" => FileOutcome.Unchanged,
        "duplicate" => FileOutcome.Duplicate,
        "failed" => FileOutcome.Failed,
        _ => throw Unknown("file outcome", text),
    };

    private static HanlinException Unknown(string what, string text) =>
        new(ErrorCodes.StorageCorrupt, $"The database holds an unknown {what} '{text}'; it was written by another Hanlin version or damaged.");
}
