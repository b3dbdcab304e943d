using System.Diagnostics;

namespace Hanlin.Cli.Bench;

/// <summary>Samples the process's resident set every 50 ms while a benchmark runs, to report its peak.</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public MemorySampler()
    {
        StartBytes = CurrentWorkingSet();
        _peak = StartBytes;
        _loop = Task.Run(async () =>
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
        });
    }

    public long StartBytes { get; }

    public long PeakBytes => Math.Max(Interlocked.Read(ref _peak), CurrentWorkingSet());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static long CurrentWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
