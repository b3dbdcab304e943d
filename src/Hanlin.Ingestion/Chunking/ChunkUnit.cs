namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// An indivisible span of the document text [Start, End) with its exact cl100k token count (counted on
/// exactly this span) and the pages it lies on; chunks are runs of consecutive units.
/// </summary>
internal readonly record struct ChunkUnit(int Start, int End, int Tokens, int? FirstPage, int? LastPage, ChunkUnitKind Kind);
