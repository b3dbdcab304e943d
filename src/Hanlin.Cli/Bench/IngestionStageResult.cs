namespace Hanlin.Cli.Bench;

/// <summary>
/// CPU cost of one ingestion stage in a warm process, per megabyte of input. <see cref="MegabytesPerCpuSecond"/> is
/// the rate one core would reach if it did nothing else.
/// </summary>
internal sealed record IngestionStageResult(string Stage, double CpuSeconds, double MillisecondsPerMegabyte, double MegabytesPerCpuSecond);
