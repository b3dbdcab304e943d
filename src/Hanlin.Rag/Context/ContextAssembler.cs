using Hanlin.Core.Documents;
using Hanlin.Core.Storage;
using Hanlin.Rag.Search;

namespace Hanlin.Rag.Context;

/// <summary>
/// Turns ranked hits into the numbered context: best first, duplicates dropped (same content, or a chunk
/// mostly overlapping one already taken, as overlapping chunk windows do), optionally the neighbours of the
/// best hits added after them, all within the token budget (chunks' own cl100k counts).
/// </summary>
public sealed class ContextAssembler
{
    private readonly IKnowledgeStore? _store;
    private readonly RagOptions _options;

    /// <summary>Creates the assembler; <paramref name="store"/> is needed only for neighbour expansion.</summary>
    public ContextAssembler(RagOptions options, IKnowledgeStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _store = store;
    }

    /// <summary>Assembles the context from <paramref name="hits"/> (best first).</summary>
    public async Task<IReadOnlyList<EvidencePassage>> AssembleAsync(IReadOnlyList<KnowledgeSearchHit> hits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hits);
        var taken = new List<(Chunk Chunk, Document Document, double Score)>();
        var budget = _options.ContextTokenBudget;
        foreach (var hit in hits)
        {
            TryTake(taken, hit.Chunk, hit.Document, hit.Score, ref budget);
        }

        if (_options.ExpandNeighbours && _store is not null && taken.Count > 0)
        {
            var primaries = taken.Take(_options.NeighbourHits).ToList();
            var byDocument = new Dictionary<string, IReadOnlyList<Chunk>>(StringComparer.Ordinal);
            foreach (var (chunk, document, score) in primaries)
            {
                if (!byDocument.TryGetValue(document.Id, out var chunks))
                {
                    chunks = await _store.GetChunksAsync(document.Id, cancellationToken).ConfigureAwait(false);
                    byDocument[document.Id] = chunks;
                }

                foreach (var neighbour in chunks.Where(c => c.VersionId == chunk.VersionId && Math.Abs(c.Ordinal - chunk.Ordinal) == 1))
                {
                    TryTake(taken, neighbour, document, score / 2, ref budget);
                }
            }
        }

        return [.. taken.Select((t, i) => new EvidencePassage(i + 1, t.Chunk, t.Document, t.Score))];
    }

    private static void TryTake(List<(Chunk Chunk, Document Document, double Score)> taken, Chunk chunk, Document document, double score, ref int budget)
    {
        var tokens = Math.Max(1, chunk.TokenCount);
        if (tokens > budget || taken.Any(t => IsDuplicate(t.Chunk, chunk)))
        {
            return;
        }

        taken.Add((chunk, document, score));
        budget -= tokens;
    }

    private static bool IsDuplicate(Chunk a, Chunk b)
    {
        if (a.Id == b.Id || (a.ContentHash.Length > 0 && a.ContentHash == b.ContentHash))
        {
            return true;
        }

        if (a.VersionId != b.VersionId)
        {
            return false;
        }

        // Overlapping windows of the same version: a duplicate when the overlap is most of the shorter one.
        var overlap = Math.Min(a.CharEnd, b.CharEnd) - Math.Max(a.CharStart, b.CharStart);
        var shorter = Math.Min(a.CharEnd - a.CharStart, b.CharEnd - b.CharStart);
        return shorter > 0 && overlap * 2 > shorter;
    }
}
