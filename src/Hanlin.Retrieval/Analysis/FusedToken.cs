namespace Hanlin.Retrieval.Analysis;

/// <summary>
/// A token <see cref="FusedCjkEnglishTokenizer"/> found: its offsets in the input, the length of its term
/// (shorter than <c>End - Start</c> when a possessive was removed; the term is always the normalised input
/// from <paramref name="Start"/>) and what kind of token it is.
/// </summary>
internal readonly record struct FusedToken(int Start, int End, int TermLength, FusedTokenKind Kind);
