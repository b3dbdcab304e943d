namespace Hanlin.Cli.Bench;

/// <summary>What <c>hanlin bench serve</c> measured: corpus size, cold start, load per endpoint and the server's memory.</summary>
internal sealed record ServeBenchmarkResult(
    int Chunks,
    double BuildSeconds,
    double ColdStartMs,
    IReadOnlyList<LoadResult> Load,
    double ServerRssMb,
    double ServerPeakRssMb,
    int ProcessorCount);
