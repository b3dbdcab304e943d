namespace Hanlin.Rag.Answers;

/// <summary>
/// The check of one answer sentence against the chunks it cites: which citation numbers it carries, which of
/// them do not refer to a given source, and whether its claims are supported by the cited text.
/// </summary>
/// <param name="Sentence">The sentence as it appears in the answer (with its markers).</param>
/// <param name="Cited">Citation numbers in the sentence.</param>
/// <param name="InvalidCitations">Cited numbers that refer to no source that was given.</param>
/// <param name="Support">Support of the sentence by its best cited chunk, 0..1.</param>
/// <param name="Supported">Whether <paramref name="Support"/> reaches the configured threshold.</param>
public sealed record SentenceVerification(
    string Sentence,
    IReadOnlyList<int> Cited,
    IReadOnlyList<int> InvalidCitations,
    double Support,
    bool Supported);
