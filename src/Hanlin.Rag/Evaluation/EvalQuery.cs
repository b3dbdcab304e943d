namespace Hanlin.Rag.Evaluation;

/// <summary>One row of an evaluation query set (<c>queries.jsonl</c>).</summary>
/// <param name="Id">Query id.</param>
/// <param name="Question">The question.</param>
/// <param name="Answers">Acceptable gold answers (empty when the corpus does not answer it).</param>
/// <param name="GoldPassageIds">Passages that hold the answer.</param>
public sealed record EvalQuery(string Id, string Question, IReadOnlyList<string> Answers, IReadOnlyList<string> GoldPassageIds);
