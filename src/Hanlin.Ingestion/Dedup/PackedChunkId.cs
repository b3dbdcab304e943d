namespace Hanlin.Ingestion.Dedup;

/// <summary>A chunk id of the form <c>prefix_hex32</c> held as a prefix ordinal and the 128-bit value of its hex digits.</summary>
internal readonly record struct PackedChunkId(int Prefix, UInt128 Hex);
