namespace Hanlin.Server.Contracts;

/// <summary>One hit with its provenance; <see cref="Explanation"/> only when asked for.</summary>
public sealed record SearchHitResponse(
    int Rank,
    string ChunkId,
    string DocumentId,
    string DocumentName,
    int Version,
    int? PageStart,
    int? PageEnd,
    string Section,
    double Score,
    string Text,
    HitExplanationResponse? Explanation);
