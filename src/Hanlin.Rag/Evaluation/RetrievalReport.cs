namespace Hanlin.Rag.Evaluation;

/// <summary>Retrieval evaluation of one corpus and query set.</summary>
public sealed record RetrievalReport(int Passages, int Queries, IReadOnlyList<RetrievalModeReport> Modes);
