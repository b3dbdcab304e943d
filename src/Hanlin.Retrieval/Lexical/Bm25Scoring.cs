namespace Hanlin.Retrieval.Lexical;

/// <summary>How <see cref="LuceneBm25Index"/> finds the top hits of a query; every choice returns the same hits.</summary>
public enum Bm25Scoring
{
    /// <summary>
    /// Exact MaxScore top-k evaluation: postings that cannot reach the current k-th best score are skipped, using
    /// each term's largest score in each segment as its bound. Queries with conversation context use Lucene.
    /// </summary>
    MaxScore,

    /// <summary>MaxScore with the loose bound idf × boost × (k1 + 1) per term instead of the per-segment maximum (for benchmarks).</summary>
    MaxScoreLooseBounds,

    /// <summary>Lucene's own scorers, which score every posting of every query term.</summary>
    Lucene,
}
