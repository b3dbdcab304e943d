using System.Collections.Concurrent;

namespace Hanlin.Rag.Context;

/// <summary>
/// Analysed evidence passages by chunk, so a chunk that answers many questions is split and analysed once:
/// analysis is most of an extractive answer's cost. Keyed by chunk id, content hash and document name (what
/// the analysis reads), so a changed chunk or renamed document is analysed afresh. An entry keeps the analysis
/// only, not the chunk and document it came from (each answer brings its own), which roughly halves its memory. Bounded:
/// when full it starts over, which is cheaper than tracking recency on every hit. Thread-safe.
/// </summary>
public sealed class PassageAnalysisCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> passages (about 5 KB each for 120-word chunks).</summary>
    public PassageAnalysisCache(int capacity = 16384)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>The cached analysis of <paramref name="passage"/> renumbered to it, or a fresh one from <paramref name="analyse"/>.</summary>
    public AnalysedPassage GetOrAdd(EvidencePassage passage, Func<EvidencePassage, AnalysedPassage> analyse)
    {
        ArgumentNullException.ThrowIfNull(passage);
        ArgumentNullException.ThrowIfNull(analyse);
        var key = string.Join('\n', passage.Chunk.Id, passage.Chunk.ContentHash, passage.Document.SourceName, passage.Document.Title);
        if (_entries.TryGetValue(key, out var cached))
        {
            return new AnalysedPassage(passage, cached.Sentences, cached.HeadingTerms, cached.Terms);
        }

        var analysed = analyse(passage);
        if (_entries.Count >= _capacity)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(analysed.Sentences, analysed.HeadingTerms, analysed.Terms);
        return analysed;
    }

    private sealed record Entry(IReadOnlyList<AnalysedSentence> Sentences, IReadOnlySet<string> HeadingTerms, IReadOnlySet<string> Terms);
}
