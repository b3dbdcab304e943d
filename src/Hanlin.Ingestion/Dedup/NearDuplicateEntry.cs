namespace Hanlin.Ingestion.Dedup;

/// <summary>One indexed chunk fingerprint; <see cref="Sequence"/> orders ties by insertion.</summary>
internal sealed record NearDuplicateEntry(string ChunkId, string DocumentId, ulong SimHash, long Sequence);
