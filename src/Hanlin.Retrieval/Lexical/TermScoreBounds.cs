using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// Upper bounds of a term's BM25 score in a segment, for MaxScore pruning. A posting's score depends only on its
/// frequency and its field-length norm (one byte per document), and for a given norm it grows with the frequency;
/// so per segment core and term, the posting of highest frequency per norm value (a few dozen (doc, freq) pairs)
/// holds the term's largest score under any collection statistics. Those pairs are found once by walking the
/// postings and kept while the segment lives (segments are immutable; deletions only lower the true maximum).
/// </summary>
internal sealed class TermScoreBounds
{
    // Terms remembered per segment before its table is cleared; a few MB at worst (≤ 256 pairs per term).
    private const int MaxTermsPerSegment = 20_000;

    // A score at this frequency is the BM25 limit idf × boost × (k1 + 1) within float rounding.
    private const float SaturatingFrequency = 1e30f;

    private readonly ConditionalWeakTable<object, ConcurrentDictionary<Term, int[]>> _segments = new();

    /// <summary>
    /// The largest score <paramref name="scorer"/> gives any posting of <paramref name="term"/> in <paramref name="leaf"/>
    /// (tight), or the BM25 limit (loose). <paramref name="termsEnum"/> is positioned on the term.
    /// </summary>
    public float UpperBound(AtomicReaderContext leaf, Term term, TermsEnum termsEnum, Similarity.SimScorer scorer, bool tight)
    {
        var table = _segments.GetValue(leaf.AtomicReader.CoreCacheKey, _ => new ConcurrentDictionary<Term, int[]>());
        var pairs = table.TryGetValue(term, out var cached) ? cached : Add(table, leaf, term, termsEnum);
        if (!tight)
        {
            return pairs.Length == 0 ? 0f : scorer.Score(pairs[0], SaturatingFrequency);
        }

        var max = 0f;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            max = Math.Max(max, scorer.Score(pairs[i], pairs[i + 1]));
        }

        return max;
    }

    private static int[] Add(ConcurrentDictionary<Term, int[]> table, AtomicReaderContext leaf, Term term, TermsEnum termsEnum)
    {
        if (table.Count >= MaxTermsPerSegment)
        {
            table.Clear();
        }

        var norms = leaf.AtomicReader.GetNormValues(term.Field);
        var bestFreq = new int[256];
        var bestDoc = new int[256];
        var docs = termsEnum.Docs(null, null, DocsFlags.FREQS);
        int doc;
        while ((doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
        {
            var norm = norms is null ? 0 : (int)(norms.Get(doc) & 0xFF);
            var freq = docs.Freq;
            if (freq > bestFreq[norm])
            {
                bestFreq[norm] = freq;
                bestDoc[norm] = doc;
            }
        }

        var pairs = new List<int>();
        for (var norm = 0; norm < 256; norm++)
        {
            if (bestFreq[norm] > 0)
            {
                pairs.Add(bestDoc[norm]);
                pairs.Add(bestFreq[norm]);
            }
        }

        int[] result = [.. pairs];
        table[term] = result;
        return result;
    }
}
