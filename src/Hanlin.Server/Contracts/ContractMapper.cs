using System.Text.Json;
using Hanlin.Core.Collections;
using Hanlin.Core.Documents;
using Hanlin.Core.Ingestion;
using Hanlin.Rag.Answers;
using Hanlin.Rag.Search;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Fusion;

namespace Hanlin.Server.Contracts;

/// <summary>Maps domain records to wire DTOs; enum values are written in snake_case like the JSON names.</summary>
internal static class ContractMapper
{
    public static CollectionResponse ToResponse(this Collection c) =>
        new(c.Id, c.Name, c.Description, c.CreatedAt, c.DocumentCount, c.ChunkCount);

    public static DocumentResponse ToResponse(this Document d) =>
        new(d.Id, d.CollectionId, d.SourceName, d.MediaType, d.SizeBytes, d.Sha256, d.Version, Name(d.Status), d.ChunkCount, d.PageCount, d.Title, d.LastErrorCode, d.LastErrorMessage, d.CreatedAt, d.UpdatedAt);

    public static ChunkResponse ToResponse(this Chunk c) =>
        new(c.Id, c.DocumentId, c.VersionId, c.Ordinal, Name(c.Kind), c.SectionPath, c.PageStart, c.PageEnd, c.CharStart, c.CharEnd, c.TokenCount, c.Text);

    public static FileResultResponse ToResponse(this FileResult f) =>
        new(f.Path, Name(f.Outcome), f.DocumentId, f.Version, f.MediaType, f.SizeBytes, f.Chunks, f.DroppedChunks.Count, f.PagesNeedingOcr, f.ErrorCode, f.ErrorMessage);

    public static SearchHitResponse ToResponse(this KnowledgeSearchHit h, bool explain) =>
        new(h.Rank, h.Chunk.Id, h.Document.Id, h.Document.SourceName, h.Document.Version, h.Chunk.PageStart, h.Chunk.PageEnd, h.Chunk.SectionPath, h.Score, h.Chunk.Text, explain ? h.Explanation.ToResponse() : null);

    public static HitExplanationResponse ToResponse(this HitExplanation e) =>
        new(e.Bm25Score, e.Bm25Rank, e.VectorScore, e.VectorRank, e.FusedScore, Name(e.Method));

    public static CitationResponse ToResponse(this Citation c) =>
        new(c.Number, c.ChunkId, c.DocumentId, c.DocumentName, c.Version, c.PageStart, c.PageEnd, c.SectionPath, c.CharStart, c.CharEnd, c.Snippet, c.Score);

    public static AskResponse ToResponse(this RagAnswer a) =>
        new(
            a.Text,
            a.Refused,
            a.FullySupported,
            a.Language,
            Name(a.Method),
            Name(a.ModeUsed),
            [.. a.Citations.Select(ToResponse)],
            [.. a.Verification.Select(v => new VerificationResponse(v.Sentence, v.Cited, v.InvalidCitations, v.Support, v.Supported))],
            new UsageResponse(a.Usage.InputTokens, a.Usage.OutputTokens, a.Usage.TotalTokens),
            a.Notice);

    public static string Name(RetrievalMode mode) => Name<RetrievalMode>(mode);

    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
