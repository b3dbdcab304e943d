namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// The clauses of a text query before it becomes a Lucene query, so the Lucene path and the MaxScore evaluator score
/// exactly the same clauses. With both lists non-empty a chunk must match a rare clause and common clauses only add
/// score; with one list empty the query is a plain disjunction of the other.
/// </summary>
internal sealed record TextQueryPlan(IReadOnlyList<TextClause> Rare, IReadOnlyList<TextClause> Common)
{
    /// <summary>True when a match needs a rare clause (both groups present).</summary>
    public bool RequiresRare => Rare.Count > 0 && Common.Count > 0;
}
