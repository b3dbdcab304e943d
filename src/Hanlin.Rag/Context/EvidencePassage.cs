using Hanlin.Core.Documents;
using Hanlin.Rag.Answers;

namespace Hanlin.Rag.Context;

/// <summary>One numbered chunk of the assembled context: <c>[Number]</c> in an answer refers to it.</summary>
/// <param name="Number">1-based number, in context order.</param>
/// <param name="Chunk">The stored chunk.</param>
/// <param name="Document">Its document.</param>
/// <param name="Score">Retrieval score (neighbours added by expansion carry half their hit's score).</param>
public sealed record EvidencePassage(int Number, Chunk Chunk, Document Document, double Score)
{
    private const int SnippetLength = 240;

    /// <summary>The citation a reader follows to this chunk.</summary>
    public Citation ToCitation()
    {
        var flat = Chunk.Text.ReplaceLineEndings(" ").Trim();
        var snippet = flat.Length <= SnippetLength ? flat : string.Concat(flat.AsSpan(0, SnippetLength), "…");
        return new Citation(
            Number,
            Chunk.Id,
            Document.Id,
            Document.SourceName,
            Document.Version,
            Chunk.PageStart,
            Chunk.PageEnd,
            Chunk.SectionPath,
            Chunk.CharStart,
            Chunk.CharEnd,
            snippet,
            Score);
    }
}
