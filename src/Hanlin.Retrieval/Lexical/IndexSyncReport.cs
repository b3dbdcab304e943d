namespace Hanlin.Retrieval.Lexical;

/// <summary>What a synchronisation of the lexical index with storage changed.</summary>
public sealed record IndexSyncReport(int DocumentsChecked, int DocumentsReindexed, int DocumentsRemoved, int ChunksIndexed);
