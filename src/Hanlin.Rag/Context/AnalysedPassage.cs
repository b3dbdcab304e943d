namespace Hanlin.Rag.Context;

/// <summary>An evidence passage split into analysed sentences, with the union of their terms.</summary>
public sealed record AnalysedPassage(EvidencePassage Passage, IReadOnlyList<AnalysedSentence> Sentences, IReadOnlySet<string> Terms);
