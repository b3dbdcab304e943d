namespace Hanlin.Ingestion.Dedup;

/// <summary>The closest indexed chunk to a queried SimHash and its Hamming distance.</summary>
public sealed record NearDuplicateMatch(string ChunkId, string DocumentId, int Distance);
