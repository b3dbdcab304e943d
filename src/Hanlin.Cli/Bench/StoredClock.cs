using System.Diagnostics;
using Hanlin.Ingestion.Pipeline;

namespace Hanlin.Cli.Bench;

/// <summary>
/// Notes when an ingestion job has stored its last file (its final progress report, which names no current
/// file), before the job waits for the indexes to catch up: elapsed seconds and process CPU seconds since start.
/// Reports arrive synchronously on the job's thread, so the moment is exact.
/// </summary>
internal sealed class StoredClock : IProgress<IngestionProgress>
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;

    public double? StoredSeconds { get; private set; }

    public double? StoredCpuSeconds { get; private set; }

    public double ElapsedSeconds => _wall.Elapsed.TotalSeconds;

    public double CpuSeconds => (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds;

    public void Report(IngestionProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.CurrentFile is null)
        {
            StoredSeconds = ElapsedSeconds;
            StoredCpuSeconds = CpuSeconds;
        }
    }
}
