namespace Hanlin.Training.Synthesis;

/// <summary>One question/answer pair with where it came from.</summary>
/// <param name="Question">The user turn.</param>
/// <param name="Answer">The assistant turn, ending with its citation marker.</param>
/// <param name="Citation">The citation marker, e.g. <c>[source: leaflet.md § Aspirin &gt; Dosage]</c>.</param>
/// <param name="DocumentId">The source document.</param>
/// <param name="ChunkId">The source passage.</param>
/// <param name="Origin">Extractive, teacher-written or augmented.</param>
public sealed record KnowledgePair(string Question, string Answer, string Citation, string DocumentId, string ChunkId, KnowledgePairOrigin Origin);
