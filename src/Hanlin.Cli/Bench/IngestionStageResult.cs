namespace Hanlin.Cli.Bench;

/// <summary>
/// CPU cost of one ingestion stage in a warm process, per megabyte of input. <see cref="Seconds"/> is the stage's wall
/// clock on its one thread (its CPU on a quiet machine), or for the index, which writes on its own thread, process CPU.
/// <see cref="MegabytesPerCpuSecond"/> is the rate one core would reach if it did nothing else.
/// </summary>
internal sealed record IngestionStageResult(string Stage, double Seconds, double MillisecondsPerMegabyte, double MegabytesPerCpuSecond);
