using Lucene.Net.Search;

namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// The k best (doc, score) pairs seen so far, with Lucene's order: higher score first, then lower top-level doc id.
/// Docs must be offered in increasing doc id order (as segments are searched), so a doc that ties the k-th score
/// never displaces it, as in Lucene's TopScoreDocCollector.
/// </summary>
internal sealed class TopHitsHeap(int capacity)
{
    // The root is the hit Lucene would drop first: the lowest score, and of equal scores the highest doc id.
    private readonly PriorityQueue<int, (float Score, int Doc)> _hits = new(capacity, DropOrder.Instance);

    /// <summary>True once k hits are held; from then on a doc must score above <see cref="Threshold"/> to enter.</summary>
    public bool IsFull => _hits.Count == capacity;

    /// <summary>The k-th best score (only meaningful when <see cref="IsFull"/>).</summary>
    public float Threshold => _hits.TryPeek(out _, out var worst) ? worst.Score : float.NegativeInfinity;

    /// <summary>Offers a hit; true when it was kept.</summary>
    public bool TryAdd(int doc, float score)
    {
        if (!IsFull)
        {
            _hits.Enqueue(doc, (score, doc));
            return true;
        }

        if (score <= Threshold)
        {
            return false;
        }

        _hits.DequeueEnqueue(doc, (score, doc));
        return true;
    }

    /// <summary>The hits held, best first.</summary>
    public ScoreDoc[] ToScoreDocs()
    {
        var hits = new ScoreDoc[_hits.Count];
        var i = 0;
        foreach (var (doc, priority) in _hits.UnorderedItems)
        {
            hits[i++] = new ScoreDoc(doc, priority.Score);
        }

        Array.Sort(hits, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Doc.CompareTo(b.Doc));
        return hits;
    }

    private sealed class DropOrder : IComparer<(float Score, int Doc)>
    {
        public static readonly DropOrder Instance = new();

        public int Compare((float Score, int Doc) x, (float Score, int Doc) y) =>
            x.Score != y.Score ? x.Score.CompareTo(y.Score) : y.Doc.CompareTo(x.Doc);
    }
}
