using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// Exact top-k evaluation of a <see cref="TextQueryPlan"/> by MaxScore (Turtle and Flood): Lucene 4.8 scores every
/// posting of every query term, while most postings cannot reach the k-th best score found so far (θ). Clauses are
/// ordered by their largest possible score in the segment; the lowest ones whose bounds together cannot beat θ are
/// non-essential: candidates come only from the other clauses' postings, and a non-essential clause is advanced to a
/// candidate only while the candidate's score so far plus the bounds left can still beat θ.
/// </summary>
/// <remarks>
/// Scores are Lucene's own: each clause's weight comes from the searcher's similarity as TermWeight builds it
/// (ComputeWeight, GetValueForNormalization, Normalize with BM25's ignored query norm and top-level boost 1) and each
/// posting is scored by the same SimScorer, so only the order of the float additions may differ. Hits are ordered as
/// Lucene's TopScoreDocCollector orders them: score descending, then lower doc id.
/// </remarks>
internal static class MaxScoreSearch
{
    // Float sums of up to a few hundred clause scores in another order differ by far less than this relative slack,
    // so pruning on bounds inflated by it never drops a doc whose float score would beat θ.
    private const float Slack = 1.0001f;

    /// <summary>
    /// The <paramref name="topK"/> best docs (top-level ids) matching <paramref name="plan"/> and passing
    /// <paramref name="filter"/> and the readers' live docs.
    /// </summary>
    public static ScoreDoc[] Search(
        IndexSearcher searcher,
        TextQueryPlan plan,
        Filter? filter,
        int topK,
        TermScoreBounds bounds,
        bool tightBounds)
    {
        var similarity = searcher.Similarity;
        var clauses = new List<(TextClause Clause, Similarity.SimWeight Weight, bool Rare)>(plan.Rare.Count + plan.Common.Count);
        foreach (var clause in plan.Rare)
        {
            Add(clause, rare: true);
        }

        if (plan.RequiresRare && clauses.Count == 0)
        {
            return [];
        }

        foreach (var clause in plan.Common)
        {
            Add(clause, rare: false);
        }

        if (clauses.Count == 0)
        {
            return [];
        }

        var heap = new TopHitsHeap(topK);
        var leaf = new LeafSearch(clauses.Count);
        foreach (var context in searcher.IndexReader.Leaves)
        {
            leaf.Run(context, similarity, clauses, plan.RequiresRare, filter, bounds, tightBounds, heap);
        }

        return heap.ToScoreDocs();

        void Add(TextClause clause, bool rare)
        {
            // A term in no segment has no scorer in Lucene either.
            if (clause.States.DocFreq == 0)
            {
                return;
            }

            var weight = similarity.ComputeWeight(
                clause.Boost,
                searcher.CollectionStatistics(clause.Term.Field),
                searcher.TermStatistics(clause.Term, clause.States));
            weight.GetValueForNormalization();
            weight.Normalize(1f, 1f);
            clauses.Add((clause, weight, rare));
        }
    }

    /// <summary>Per-segment cursors, reused across the segments of one search.</summary>
    private sealed class LeafSearch(int capacity)
    {
        private readonly DocsEnum[] _postings = new DocsEnum[capacity];
        private readonly Similarity.SimScorer[] _scorers = new Similarity.SimScorer[capacity];
        private readonly float[] _bounds = new float[capacity];
        private readonly bool[] _rare = new bool[capacity];
        private readonly int[] _doc = new int[capacity];

        // Essential clauses (candidates come from their postings) and the others in decreasing bound order, with
        // _rest[j] the sum of the bounds of _optional[j..].
        private readonly int[] _essential = new int[capacity];
        private readonly int[] _optional = new int[capacity];
        private readonly float[] _rest = new float[capacity + 1];
        private readonly int[] _order = new int[capacity];
        private int _count;
        private int _essentialCount;
        private int _optionalCount;

        // θ at or above which one more clause becomes non-essential.
        private float _nextCut;

        public void Run(
            AtomicReaderContext context,
            Similarity similarity,
            List<(TextClause Clause, Similarity.SimWeight Weight, bool Rare)> clauses,
            bool requiresRare,
            Filter? filter,
            TermScoreBounds bounds,
            bool tightBounds,
            TopHitsHeap heap)
        {
            var reader = context.AtomicReader;
            var live = reader.LiveDocs;
            IBits? filterBits = null;
            DocIdSetIterator? filterDocs = null;
            if (filter is not null)
            {
                var set = filter.GetDocIdSet(context, live);
                if (set is null)
                {
                    return;
                }

                filterBits = set.Bits;
                if (filterBits is null)
                {
                    filterDocs = set.GetIterator();
                    if (filterDocs is null)
                    {
                        return;
                    }
                }
            }

            _count = 0;
            var hasRare = false;
            foreach (var (clause, weight, rare) in clauses)
            {
                var state = clause.States.Get(context.Ord);
                if (state is null || reader.GetTerms(clause.Term.Field) is not { } terms)
                {
                    continue;
                }

                var termsEnum = terms.GetEnumerator();
                termsEnum.SeekExact(clause.Term.Bytes, state);
                var scorer = similarity.GetSimScorer(weight, context);
                var i = _count++;
                _bounds[i] = bounds.UpperBound(context, clause.Term, termsEnum, scorer, tightBounds);
                _postings[i] = termsEnum.Docs(live, null, DocsFlags.FREQS);
                _scorers[i] = scorer;
                _rare[i] = rare;
                _doc[i] = -1;
                hasRare |= rare;
            }

            if (_count == 0 || (requiresRare && !hasRare))
            {
                return;
            }

            for (var i = 0; i < _count; i++)
            {
                _order[i] = i;
            }

            Array.Sort(_bounds, _order, 0, _count);

            // Array.Sort reordered the bounds with the indexes; keep the bounds indexed by clause again.
            var sortedBounds = _bounds[.._count];
            for (var i = 0; i < _count; i++)
            {
                _bounds[_order[i]] = sortedBounds[i];
            }

            Partition(requiresRare, heap.IsFull ? heap.Threshold : float.NegativeInfinity);
            var docBase = context.DocBase;
            while (_essentialCount > 0)
            {
                var doc = DocIdSetIterator.NO_MORE_DOCS;
                for (var e = 0; e < _essentialCount; e++)
                {
                    doc = Math.Min(doc, _doc[_essential[e]]);
                }

                if (doc == DocIdSetIterator.NO_MORE_DOCS)
                {
                    return;
                }

                if (filterBits is not null && !filterBits.Get(doc))
                {
                    SkipEssential(doc + 1);
                    continue;
                }

                if (filterDocs is not null)
                {
                    var passing = filterDocs.DocID < doc ? filterDocs.Advance(doc) : filterDocs.DocID;
                    if (passing == DocIdSetIterator.NO_MORE_DOCS)
                    {
                        return;
                    }

                    if (passing != doc)
                    {
                        SkipEssential(passing);
                        continue;
                    }
                }

                var score = 0f;
                for (var e = 0; e < _essentialCount; e++)
                {
                    var c = _essential[e];
                    if (_doc[c] == doc)
                    {
                        score += _scorers[c].Score(doc, _postings[c].Freq);
                        _doc[c] = _postings[c].NextDoc();
                    }
                }

                var full = heap.IsFull;
                var theta = full ? heap.Threshold : float.NegativeInfinity;
                var competitive = true;
                for (var j = 0; j < _optionalCount; j++)
                {
                    if (full && (score + _rest[j]) * Slack <= theta)
                    {
                        competitive = false;
                        break;
                    }

                    var c = _optional[j];
                    var at = _doc[c];
                    if (at < doc)
                    {
                        at = _postings[c].Advance(doc);
                        _doc[c] = at;
                    }

                    if (at == doc)
                    {
                        score += _scorers[c].Score(doc, _postings[c].Freq);
                    }
                }

                if (competitive && heap.TryAdd(docBase + doc, score) && heap.IsFull && heap.Threshold >= _nextCut)
                {
                    Partition(requiresRare, heap.Threshold);
                }
            }
        }

        // Moves every essential cursor to its first doc at or after target.
        private void SkipEssential(int target)
        {
            for (var e = 0; e < _essentialCount; e++)
            {
                var c = _essential[e];
                if (_doc[c] < target)
                {
                    _doc[c] = _postings[c].Advance(target);
                }
            }
        }

        // Splits the clauses for threshold theta: with _order ascending by bound, the longest prefix of eligible clauses
        // whose bounds (plus those of the never-essential common clauses when a rare match is required) cannot beat
        // theta is non-essential. When a rare match is required only rare clauses may be essential, so every candidate
        // satisfies the requirement.
        private void Partition(bool requiresRare, float theta)
        {
            var sum = 0f;
            var nonEssential = new bool[_count];
            if (requiresRare)
            {
                for (var i = 0; i < _count; i++)
                {
                    if (!_rare[i])
                    {
                        sum += _bounds[i];
                        nonEssential[i] = true;
                    }
                }
            }

            _nextCut = float.PositiveInfinity;
            for (var k = 0; k < _count; k++)
            {
                var c = _order[k];
                if (nonEssential[c])
                {
                    continue;
                }

                var withIt = sum + _bounds[c];
                if (withIt * Slack > theta)
                {
                    _nextCut = withIt * Slack;
                    break;
                }

                sum = withIt;
                nonEssential[c] = true;
            }

            _essentialCount = 0;
            _optionalCount = 0;
            for (var k = _count - 1; k >= 0; k--)
            {
                var c = _order[k];
                if (nonEssential[c])
                {
                    _optional[_optionalCount++] = c;
                }
                else
                {
                    _essential[_essentialCount++] = c;
                    if (_doc[c] < 0)
                    {
                        _doc[c] = _postings[c].NextDoc();
                    }
                }
            }

            _rest[_optionalCount] = 0f;
            for (var j = _optionalCount - 1; j >= 0; j--)
            {
                _rest[j] = _rest[j + 1] + _bounds[_optional[j]];
            }
        }
    }
}
