namespace Hanlin.Rag.Evaluation;

/// <summary>Retrieval figures of one mode, averaged over queries; <see cref="Available"/> false when the mode could not run.</summary>
public sealed record RetrievalModeReport(
    string Mode,
    bool Available,
    string? Note,
    int Queries,
    double RecallAt1,
    double RecallAt5,
    double RecallAt10,
    double MrrAt10,
    double NdcgAt10,
    double MeanMilliseconds);
