namespace Hanlin.Server.Contracts;

/// <summary>A numbered source; <c>[number]</c> in the answer refers to it.</summary>
public sealed record CitationResponse(
    int Number,
    string ChunkId,
    string DocumentId,
    string DocumentName,
    int Version,
    int? PageStart,
    int? PageEnd,
    string Section,
    int CharStart,
    int CharEnd,
    string Snippet,
    double Score);
