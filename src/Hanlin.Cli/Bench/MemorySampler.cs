using System.Diagnostics;
using System.Globalization;

namespace Hanlin.Cli.Bench;

/// <summary>
/// The process's peak resident set while a benchmark runs. On Linux the kernel keeps the peak itself (VmHWM in
/// /proc/self/status, reset at the start through /proc/self/clear_refs), so nothing is sampled and no spike between
/// samples is missed; elsewhere, or where the reset is refused, the resident set is sampled every 50 ms. Sampling
/// through <see cref="Process"/> cost about 2% of the CPU of a text ingest benchmark (perf).
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private const string StatusPath = "/proc/self/status";
    private const string ClearRefsPath = "/proc/self/clear_refs";

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly bool _kernelPeak;
    private long _peak;

    public MemorySampler()
    {
        StartBytes = CurrentWorkingSet();
        _peak = StartBytes;
        _kernelPeak = TryResetKernelPeak();
        _loop = _kernelPeak ? Task.CompletedTask : Task.Run(SampleAsync);
    }

    public long StartBytes { get; }

    public long PeakBytes => Math.Max(
        _kernelPeak && ReadKernelPeak() is { } kernel ? kernel : Interlocked.Read(ref _peak),
        CurrentWorkingSet());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var now = CurrentWorkingSet();
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Writing 5 resets the peak resident set to the current one (Linux 4.0 and later).
    private static bool TryResetKernelPeak()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText(ClearRefsPath, "5");
            return ReadKernelPeak() is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // VmHWM, the peak resident set, in bytes (the file gives kB).
    private static long? ReadKernelPeak()
    {
        try
        {
            foreach (var line in File.ReadLines(StatusPath))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
                {
                    return kilobytes * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static long CurrentWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
