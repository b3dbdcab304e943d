namespace Hanlin.Cli.Bench;

/// <summary>
/// Where the CPU of a text ingest goes, stage by stage, once the process is warm (see <see cref="IngestionStageBenchmark"/>).
/// <see cref="CeilingMegabytesPerSecond"/> is the most the measured stages alone allow on this machine's cores if they ran
/// perfectly in parallel and storage (SQLite, blobs, near-duplicate lookups) cost nothing.
/// <see cref="ProcessMillisecondsPerMegabyte"/> is the process's CPU over the same work: the stages plus the runtime's own
/// threads (GC, JIT) and the index's.
/// </summary>
internal sealed record IngestionStageReport(
    string Corpus,
    int Files,
    long Bytes,
    int Chunks,
    double WarmUpMegabytes,
    double WarmUpMillisecondsPerMegabyte,
    IReadOnlyList<IngestionStageResult> Stages,
    double MillisecondsPerMegabyte,
    double ProcessMillisecondsPerMegabyte,
    int Cores,
    double CeilingMegabytesPerSecond);
