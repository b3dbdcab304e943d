namespace Hanlin.Core.Documents;

/// <summary>
/// One immutable version of a document. <see cref="Sha256"/> hashes the original bytes (stored in the
/// blob store); <see cref="TextSha256"/> hashes the normalised text (also a blob), which chunk offsets index.
/// </summary>
public sealed record DocumentVersion(
    string Id,
    string DocumentId,
    int Version,
    string MediaType,
    long SizeBytes,
    string Sha256,
    string TextSha256,
    int TextLength,
    int? PageCount,
    IReadOnlyList<int> PagesNeedingOcr,
    int ChunkCount,
    DateTimeOffset CreatedAt);
