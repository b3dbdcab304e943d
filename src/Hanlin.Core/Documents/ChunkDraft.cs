namespace Hanlin.Core.Documents;

/// <summary>A chunk produced by ingestion before it is stored (no ids yet). Ordinals are dense from 0.</summary>
public sealed record ChunkDraft(
    int Ordinal,
    string Text,
    string SectionPath,
    int? PageStart,
    int? PageEnd,
    int CharStart,
    int CharEnd,
    int TokenCount,
    string ContentHash,
    ulong SimHash,
    ChunkKind Kind);
