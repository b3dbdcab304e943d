namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// An indivisible span of the document text [Start, End) and the pages it lies on; chunks are runs of
/// consecutive units. <see cref="Tokens"/> is the exact cl100k count of exactly this span when
/// <see cref="Exact"/> is set, otherwise a calibrated estimate.
/// </summary>
internal readonly record struct ChunkUnit(int Start, int End, int Tokens, int? FirstPage, int? LastPage, ChunkUnitKind Kind, bool Exact);
