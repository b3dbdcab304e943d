namespace Hanlin.Core.Documents;

/// <summary>The SimHash of a stored chunk, loaded to detect near-duplicates across a collection.</summary>
public readonly record struct ChunkFingerprint(string ChunkId, string DocumentId, ulong SimHash);
