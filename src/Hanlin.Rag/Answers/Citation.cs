namespace Hanlin.Rag.Answers;

/// <summary>
/// A numbered source given to the answerer; <c>[Number]</c> in the answer text refers to it. Carries what a
/// reader needs to open the exact place: document, version, pages, section and character offsets into the
/// version's normalised text.
/// </summary>
public sealed record Citation(
    int Number,
    string ChunkId,
    string DocumentId,
    string DocumentName,
    int Version,
    int? PageStart,
    int? PageEnd,
    string SectionPath,
    int CharStart,
    int CharEnd,
    string Snippet,
    double Score);
