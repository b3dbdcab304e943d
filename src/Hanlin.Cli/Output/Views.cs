using Hanlin.Core.Collections;
using Hanlin.Core.Documents;
using Hanlin.Core.Ingestion;
using Hanlin.Ingestion.Pipeline;

namespace Hanlin.Cli.Output;

/// <summary>
/// The JSON shapes of <c>--json</c> output. Kept apart from domain records so the wire format stays
/// stable when the records change.
/// </summary>
internal static class Views
{
    public static object Of(Collection c) => new
    {
        c.Id,
        c.Name,
        c.Description,
        c.DocumentCount,
        c.ChunkCount,
        c.CreatedAt,
    };

    public static object Of(Document d) => new
    {
        d.Id,
        d.CollectionId,
        Source = d.SourceName,
        d.Title,
        d.MediaType,
        d.SizeBytes,
        d.Sha256,
        d.Version,
        d.Status,
        d.ChunkCount,
        d.PageCount,
        Error = d.LastErrorCode is null ? null : new { Code = d.LastErrorCode, Message = d.LastErrorMessage },
        d.CreatedAt,
        d.UpdatedAt,
    };

    public static object Of(DocumentVersion v) => new
    {
        v.Id,
        v.Version,
        v.MediaType,
        v.SizeBytes,
        v.Sha256,
        v.TextSha256,
        v.TextLength,
        v.PageCount,
        v.PagesNeedingOcr,
        v.ChunkCount,
        v.CreatedAt,
    };

    public static object Of(Chunk c) => new
    {
        c.Id,
        c.DocumentId,
        c.VersionId,
        c.Ordinal,
        c.Kind,
        c.SectionPath,
        c.PageStart,
        c.PageEnd,
        c.CharStart,
        c.CharEnd,
        c.TokenCount,
        c.ContentHash,
        c.Text,
    };

    public static object Of(FileResult r) => new
    {
        r.Path,
        Status = r.Outcome,
        r.DocumentId,
        r.Version,
        r.MediaType,
        r.SizeBytes,
        r.Chunks,
        r.DroppedChunks,
        r.PagesNeedingOcr,
        Error = r.ErrorCode is null ? null : new { Code = r.ErrorCode, Message = r.ErrorMessage },
    };

    public static object Of(IngestionJob j) => new
    {
        j.Id,
        j.CollectionId,
        j.Status,
        j.TotalFiles,
        j.DoneFiles,
        j.TotalBytes,
        j.DoneBytes,
        j.CreatedAt,
        j.FinishedAt,
    };

    public static object Of(IngestionJobResult result, string collection) => new
    {
        JobId = result.Job.Id,
        Collection = collection,
        result.Job.Status,
        Files = result.Files.Select(Of),
        result.Summary,
    };
}
