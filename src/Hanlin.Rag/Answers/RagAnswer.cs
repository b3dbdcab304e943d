using Hanlin.Retrieval;

namespace Hanlin.Rag.Answers;

/// <summary>
/// A grounded answer, the same shape whether it was generated or extracted: the text with <c>[n]</c> markers,
/// the sources those markers refer to, the check of every sentence, or a refusal when the evidence is too weak.
/// </summary>
/// <param name="Text">The answer (or the refusal sentence) with <c>[n]</c> citation markers.</param>
/// <param name="Citations">The sources given to the answerer, numbered; markers in <paramref name="Text"/> refer to them.</param>
/// <param name="Verification">One entry per answer sentence.</param>
/// <param name="Refused">True when the knowledge base does not hold the answer.</param>
/// <param name="Language">"zh" or "en".</param>
/// <param name="Method">Extractive or generative.</param>
/// <param name="ModeUsed">The retrieval mode actually used.</param>
/// <param name="Usage">Token counts.</param>
/// <param name="Notice">Something the caller should know (e.g. "BM25 only"), or null.</param>
public sealed record RagAnswer(
    string Text,
    IReadOnlyList<Citation> Citations,
    IReadOnlyList<SentenceVerification> Verification,
    bool Refused,
    string Language,
    AnswerMethod Method,
    RetrievalMode ModeUsed,
    AnswerUsage Usage,
    string? Notice)
{
    /// <summary>True when every sentence is supported and every citation refers to a given source.</summary>
    public bool FullySupported => Verification.All(v => v.Supported && v.InvalidCitations.Count == 0);
}
