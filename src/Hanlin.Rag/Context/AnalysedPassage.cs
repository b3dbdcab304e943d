namespace Hanlin.Rag.Context;

/// <summary>
/// An evidence passage split into analysed sentences. <see cref="HeadingTerms"/> are the terms of its
/// document name, title and section path, which every sentence is read under; <see cref="Terms"/> is the
/// union of all.
/// </summary>
public sealed record AnalysedPassage(
    EvidencePassage Passage,
    IReadOnlyList<AnalysedSentence> Sentences,
    IReadOnlySet<string> HeadingTerms,
    IReadOnlySet<string> Terms);
