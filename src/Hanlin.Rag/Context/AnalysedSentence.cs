namespace Hanlin.Rag.Context;

/// <summary>A sentence of an evidence chunk (a table row counts as one) with its content terms.</summary>
/// <param name="Text">The sentence as it appears in the chunk.</param>
/// <param name="Start">Character offset in the chunk text.</param>
/// <param name="Terms">Distinct content terms.</param>
public sealed record AnalysedSentence(string Text, int Start, IReadOnlySet<string> Terms);
