namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// One queued write of <see cref="LuceneChunkIndex"/>: <paramref name="Id"/> is the document or collection id;
/// <paramref name="Completion"/>, when present, completes once the change is committed and searchable.
/// </summary>
internal sealed record IndexChange(IndexChangeKind Kind, string Id, IReadOnlyList<IndexedChunk> Chunks, TaskCompletionSource? Completion);
