namespace Hanlin.Rag.Evaluation;

/// <summary>
/// Answer evaluation of one corpus and query set. EM, F1 and ROUGE-L are averaged over all queries (a refusal
/// scores 0); <see cref="CitationPrecision"/> is the share of cited chunks that are gold passages or contain a
/// gold answer; <see cref="RefusalRate"/> the share of queries refused. Latencies are per question, retrieval
/// included, measured one question at a time.
/// </summary>
public sealed record AnswerReport(
    int Passages,
    int Queries,
    string Method,
    double ExactMatch,
    double F1,
    double RougeL,
    double CitationPrecision,
    int CitedChunks,
    double RefusalRate,
    double MeanMilliseconds,
    double P50Milliseconds,
    double P99Milliseconds);
