using Lucene.Net.Search;

namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// The k best (doc, score) pairs seen so far, with Lucene's order: higher score first, then lower top-level doc id.
/// Docs must be offered in increasing doc id order (as segments are searched), so a doc that ties the k-th score
/// never displaces it, as in Lucene's TopScoreDocCollector.
/// </summary>
internal sealed class TopHitsHeap(int capacity)
{
    // A min-heap on (score, -doc): the root is the hit Lucene would drop first.
    private readonly int[] _docs = new int[capacity];
    private readonly float[] _scores = new float[capacity];
    private int _count;

    /// <summary>True once k hits are held; from then on a doc must score above <see cref="Threshold"/> to enter.</summary>
    public bool IsFull => _count == _docs.Length;

    /// <summary>The k-th best score (only meaningful when <see cref="IsFull"/>).</summary>
    public float Threshold => _scores[0];

    /// <summary>Offers a hit; true when it was kept.</summary>
    public bool TryAdd(int doc, float score)
    {
        if (!IsFull)
        {
            var i = _count++;
            while (i > 0)
            {
                var parent = (i - 1) / 2;
                if (!Worse(doc, score, _docs[parent], _scores[parent]))
                {
                    break;
                }

                _docs[i] = _docs[parent];
                _scores[i] = _scores[parent];
                i = parent;
            }

            _docs[i] = doc;
            _scores[i] = score;
            return true;
        }

        if (score <= _scores[0])
        {
            return false;
        }

        var at = 0;
        while (true)
        {
            var child = (2 * at) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && Worse(_docs[child + 1], _scores[child + 1], _docs[child], _scores[child]))
            {
                child++;
            }

            if (!Worse(_docs[child], _scores[child], doc, score))
            {
                break;
            }

            _docs[at] = _docs[child];
            _scores[at] = _scores[child];
            at = child;
        }

        _docs[at] = doc;
        _scores[at] = score;
        return true;
    }

    /// <summary>The hits held, best first.</summary>
    public ScoreDoc[] ToScoreDocs()
    {
        var hits = new ScoreDoc[_count];
        for (var i = 0; i < _count; i++)
        {
            hits[i] = new ScoreDoc(_docs[i], _scores[i]);
        }

        Array.Sort(hits, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Doc.CompareTo(b.Doc));
        return hits;
    }

    private static bool Worse(int doc, float score, int otherDoc, float otherScore) =>
        score < otherScore || (score == otherScore && doc > otherDoc);
}
