namespace Hanlin.Cli.Bench;

/// <summary>
/// One measured ingestion scenario. <see cref="Seconds"/> and the rates without a prefix run until the
/// documents are searchable (the BM25 index has caught up); <c>Stored*</c> until the last file was committed
/// to storage. <c>Cpu*</c> figures use the process's CPU time (all threads) instead of the wall clock, so
/// they stay comparable on a machine shared with other work; MB per CPU second is the throughput one core
/// would reach.
/// </summary>
internal sealed record IngestionBenchmarkResult(
    string Scenario,
    int Files,
    long Bytes,
    int Pages,
    int Chunks,
    double Seconds,
    double MegabytesPerSecond,
    double PagesPerSecond,
    double StoredSeconds,
    double StoredMegabytesPerSecond,
    double CpuSeconds,
    double MegabytesPerCpuSecond,
    double StoredCpuSeconds,
    double StoredMegabytesPerCpuSecond,
    long PeakWorkingSetBytes,
    long StartWorkingSetBytes,
    int Failed);
