namespace Hanlin.Rag.Evaluation;

/// <summary>One row of an evaluation corpus (<c>corpus.jsonl</c>).</summary>
/// <param name="Id">Passage id, referred to by <see cref="EvalQuery.GoldPassageIds"/>.</param>
/// <param name="ContextId">The page or article the passage comes from, when given.</param>
/// <param name="Type">"table" or "paragraph", when given.</param>
/// <param name="Title">Article title, when given.</param>
/// <param name="Text">The passage text.</param>
public sealed record EvalPassage(string Id, string? ContextId, string? Type, string? Title, string Text);
