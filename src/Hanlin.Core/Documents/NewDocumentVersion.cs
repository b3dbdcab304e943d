namespace Hanlin.Core.Documents;

/// <summary>
/// Everything needed to store a document version atomically. The original and normalised-text blobs
/// must already be in the blob store (<see cref="Sha256"/>, <see cref="TextSha256"/>).
/// </summary>
public sealed record NewDocumentVersion(
    string CollectionId,
    string SourceName,
    string MediaType,
    long SizeBytes,
    string Sha256,
    string TextSha256,
    int TextLength,
    string? Title,
    int? PageCount,
    IReadOnlyList<int> PagesNeedingOcr,
    IReadOnlyList<ChunkDraft> Chunks);
