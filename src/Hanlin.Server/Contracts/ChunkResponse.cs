namespace Hanlin.Server.Contracts;

/// <summary>A stored chunk with its provenance; offsets are [char_start, char_end) into the version's normalised text.</summary>
public sealed record ChunkResponse(
    string Id,
    string DocumentId,
    string VersionId,
    int Ordinal,
    string Kind,
    string Section,
    int? PageStart,
    int? PageEnd,
    int CharStart,
    int CharEnd,
    int TokenCount,
    string Text);
