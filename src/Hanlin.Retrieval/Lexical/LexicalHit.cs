namespace Hanlin.Retrieval.Lexical;

/// <summary>One BM25 hit: the chunk, where it lives, its score and its 1-based rank in the result list.</summary>
public sealed record LexicalHit(string ChunkId, string DocumentId, string CollectionId, float Score, int Rank);
