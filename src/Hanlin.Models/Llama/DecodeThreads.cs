namespace Hanlin.Models.Llama;

/// <summary>
/// Process-wide background threads that run the parallel loops of a decode step (matrix rows, attention heads)
/// together with the calling thread. Hand-written because a decode step of a 24-layer model runs ~120 such loops
/// of 0.1-0.6 ms each, and Parallel.For's per-loop cost (queueing to the thread pool, waking a worker, delegates)
/// adds up to a few percent of the step, more on a busy machine where a woken pool thread starts late.
/// </summary>
/// <remarks>
/// A loop is cut into many chunks claimed through one atomic counter, so a worker the scheduler has not run yet
/// delays nothing: the caller claims the remaining chunks itself and only waits for chunks already in progress.
/// Idle workers spin for <see cref="SpinTicks"/> (long enough to catch the next loop of the same step), then sleep
/// on a monitor, so a model that is not decoding costs no CPU. One loop runs at a time; a caller that finds the
/// threads busy (another model decoding on another thread) runs its loop alone.
/// </remarks>
internal sealed class DecodeThreads
{
    private static readonly Lazy<DecodeThreads> Instance = new(() => new DecodeThreads(Math.Clamp(Environment.ProcessorCount, 1, 8) - 1));

    // ~50 µs: the gap between two loops of one step is a few µs (a norm, RoPE), between two steps tens of µs.
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 20_000;

    private readonly Lock _gate = new();
    private readonly object _sleepGate = new(); // Monitor.Wait/PulseAll need an object, not a Lock
    private Job? _job;
    private int _chunks;
    private long _generation;
    private long _claim;   // (generation << 32) | next chunk: a worker still finishing an older loop can never claim from a newer one
    private int _done;     // chunks of the current loop finished
    private int _sleepers; // workers waiting on _sleepGate

    private DecodeThreads(int workers)
    {
        Workers = workers;
        for (var i = 0; i < workers; i++)
        {
            new Thread(WorkerLoop) { IsBackground = true, Name = $"Hanlin decode {i + 1}" }.Start();
        }
    }

    /// <summary>The shared instance: one worker per core beyond the caller's, at most 7.</summary>
    public static DecodeThreads Shared => Instance.Value;

    /// <summary>Background threads besides the caller.</summary>
    public int Workers { get; }

    /// <summary>Runs <c>job.Run(0..chunks-1)</c>, each chunk exactly once, on the caller and the workers; returns when all have finished.</summary>
    public void Run(Job job, int chunks)
    {
        if (chunks <= 1 || Workers == 0 || !_gate.TryEnter())
        {
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                job.Run(chunk);
            }

            return;
        }

        try
        {
            _job = job;
            _chunks = chunks;
            _done = 0;
            var generation = _generation + 1;
            Volatile.Write(ref _claim, generation << 32);
            Interlocked.Exchange(ref _generation, generation); // full fence: pairs with the sleeper's check in WorkerLoop
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_sleepGate)
                {
                    Monitor.PulseAll(_sleepGate);
                }
            }

            Work(job, generation, chunks);
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _done) < chunks)
            {
                spinner.SpinOnce(sleep1Threshold: -1); // yields to a preempted worker rather than sleeping a whole millisecond
            }

            _job = null;
        }
        finally
        {
            _gate.Exit();
        }
    }

    private void Work(Job job, long generation, int chunks)
    {
        while (true)
        {
            var claim = Volatile.Read(ref _claim);
            var chunk = (int)(claim & 0xFFFF_FFFF);
            if ((claim >> 32) != generation || chunk >= chunks)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim)
            {
                continue;
            }

            job.Run(chunk);
            Interlocked.Increment(ref _done);
        }
    }

    private void WorkerLoop()
    {
        long seen = 0;
        while (true)
        {
            var spinStart = System.Diagnostics.Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen)
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() - spinStart < SpinTicks)
                {
                    Thread.SpinWait(20);
                    continue;
                }

                // The sleeper is counted (with a full fence) before the last check, and Run publishes (with a full fence)
                // before it reads the count: either this check sees the new loop or Run sees the sleeper, and Run's
                // pulse cannot come between the check and the wait because both hold the gate.
                lock (_sleepGate)
                {
                    Interlocked.Increment(ref _sleepers);
                    while (Volatile.Read(ref _generation) == seen)
                    {
                        Monitor.Wait(_sleepGate);
                    }

                    Interlocked.Decrement(ref _sleepers);
                }

                spinStart = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            seen = Volatile.Read(ref _generation);
            var job = _job;
            var chunks = _chunks;
            if (job is not null)
            {
                Work(job, seen, chunks);
            }
        }
    }

    /// <summary>A parallel loop body; implementations keep their arguments in fields so a loop allocates nothing.</summary>
    internal abstract class Job
    {
        /// <summary>Runs chunk <paramref name="chunk"/> of the loop; called once per chunk, from any thread.</summary>
        public abstract void Run(int chunk);
    }
}
