namespace Hanlin.Core.Ingestion;

/// <summary>A chunk dropped as a near-duplicate of an already stored (or earlier) chunk.</summary>
public sealed record DroppedChunk(int Ordinal, string Preview, string DuplicateOfChunkId, int HammingDistance);
