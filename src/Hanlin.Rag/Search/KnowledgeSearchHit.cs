using Hanlin.Core.Documents;
using Hanlin.Retrieval.Fusion;

namespace Hanlin.Rag.Search;

/// <summary>One retrieved chunk with everything a citation needs: its document, version, pages, section and offsets.</summary>
/// <param name="Rank">1-based rank in the result.</param>
/// <param name="Score">The fused score (higher is better).</param>
/// <param name="Chunk">The stored chunk (text, section path, pages, character offsets into the version's normalised text).</param>
/// <param name="Document">The document the chunk belongs to.</param>
/// <param name="Explanation">BM25 and vector scores and ranks and the fused score.</param>
public sealed record KnowledgeSearchHit(int Rank, double Score, Chunk Chunk, Document Document, HitExplanation Explanation);
