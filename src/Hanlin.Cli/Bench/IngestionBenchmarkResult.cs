namespace Hanlin.Cli.Bench;

/// <summary>One measured ingestion scenario.</summary>
internal sealed record IngestionBenchmarkResult(
    string Scenario,
    int Files,
    long Bytes,
    int Pages,
    int Chunks,
    double Seconds,
    double MegabytesPerSecond,
    double PagesPerSecond,
    long PeakWorkingSetBytes,
    long StartWorkingSetBytes,
    int Failed);
