using System.Diagnostics;
using Hanlin.Retrieval;

namespace Hanlin.Rag.Evaluation;

/// <summary>Runs the queries against an <see cref="EvalIndex"/> in each mode and averages recall@1/5/10, MRR@10 and nDCG@10.</summary>
public static class RetrievalEvaluator
{
    /// <summary>
    /// Evaluates <paramref name="modes"/>; vector and hybrid are reported unavailable without vectors. Queries with
    /// no gold passage or a blank question are skipped (not counted).
    /// </summary>
    public static async Task<RetrievalReport> RunAsync(
        EvalIndex index,
        int passages,
        IReadOnlyList<EvalQuery> queries,
        IReadOnlyList<RetrievalMode> modes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(modes);
        var reports = new List<RetrievalModeReport>(modes.Count);
        foreach (var mode in modes)
        {
            var name = mode.ToString().ToLowerInvariant();
            if (mode != RetrievalMode.Bm25 && !index.HasVectors)
            {
                reports.Add(new RetrievalModeReport(name, false, "No embedding model is configured.", 0, 0, 0, 0, 0, 0, 0));
                continue;
            }

            double r1 = 0, r5 = 0, r10 = 0, mrr = 0, ndcg = 0;
            var counted = 0;
            var watch = Stopwatch.StartNew();
            foreach (var query in queries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (query.GoldPassageIds.Count == 0 || string.IsNullOrWhiteSpace(query.Question))
                {
                    continue;
                }

                var result = await index.Retriever.SearchAsync(new HybridQuery(query.Question) { TopK = 10, Mode = mode }, cancellationToken).ConfigureAwait(false);
                var ranked = result.Hits.Select(h => h.ChunkId).ToList();
                var gold = query.GoldPassageIds.ToHashSet(StringComparer.Ordinal);
                r1 += RetrievalMetrics.RecallAt(ranked, gold, 1);
                r5 += RetrievalMetrics.RecallAt(ranked, gold, 5);
                r10 += RetrievalMetrics.RecallAt(ranked, gold, 10);
                mrr += RetrievalMetrics.ReciprocalRankAt(ranked, gold, 10);
                ndcg += RetrievalMetrics.NdcgAt(ranked, gold, 10);
                counted++;
            }

            var n = Math.Max(1, counted);
            reports.Add(new RetrievalModeReport(name, true, null, counted, r1 / n, r5 / n, r10 / n, mrr / n, ndcg / n, watch.Elapsed.TotalMilliseconds / n));
        }

        return new RetrievalReport(passages, queries.Count, reports);
    }
}
