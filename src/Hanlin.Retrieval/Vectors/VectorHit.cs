namespace Hanlin.Retrieval.Vectors;

/// <summary>One nearest neighbour: its key (the chunk id), cosine similarity in [-1, 1], and 1-based rank.</summary>
public sealed record VectorHit(string Key, float Score, int Rank);
