using System.Diagnostics;
using Hanlin.Models.Generation;
using Hanlin.Models.Llama;
using static TorchSharp.torch;

namespace Hanlin.Models.Benchmarks;

/// <summary>
/// Measures prompt processing (one batched forward) and decoding (one forward per token against the KV cache)
/// for a model. Backs <c>hanlin bench generate</c>; numbers belong in docs/benchmarks.md, not in tests.
/// </summary>
public static class GenerationBenchmark
{
    /// <summary>
    /// The Llama-shaped ~415M-parameter configuration of the llama.cpp reference figures
    /// (hidden 896, 24 layers, 14/2 heads, FFN 4864, 32k vocabulary): Qwen2.5-0.5B's shape without QKV bias.
    /// </summary>
    public static LlamaConfig ReferenceShape { get; } = new(896, 4864, 24, 14, 2, 32000, 2048) { RopeLayout = RopeLayout.HalfSplit, TiedClassifier = true };

    /// <summary>Runs a warm-up, then times <paramref name="promptTokens"/> of prompt and <paramref name="decodeTokens"/> of greedy decoding.</summary>
    public static GenerationBenchmarkResult Run(LlamaModel model, int promptTokens = 512, int decodeTokens = 128, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decodeTokens);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(promptTokens + decodeTokens, model.Config.MaxSequenceLength);

        // Peak memory should be the model's while it generates, not what building or converting it took (a random
        // fp32 model converted to bf16 briefly holds both): on Linux, writing 5 to clear_refs resets the
        // high-water mark (VmHWM) that PeakWorkingSet64 reports.
        ResetPeakResidentMemory();

        // Fixed pseudo-random ids (never BOS/EOS), so runs compare like for like.
        var random = new Random(1234);
        var prompt = Enumerable.Range(0, promptTokens).Select(_ => (long)random.Next(3, model.Config.VocabSize)).ToArray();

        using (var warmCache = model.CreateCache(1, Math.Min(model.Config.MaxSequenceLength, 64)))
        using (var warmScope = NewDisposeScope())
        {
            model.Forward(tensor(prompt[..Math.Min(16, promptTokens)], 1, Math.Min(16, promptTokens)), 0, warmCache, lastPositionOnly: true);
        }

        using var cache = model.CreateCache(1, promptTokens + decodeTokens);
        var clock = Stopwatch.StartNew();
        int next;
        using (var scope = NewDisposeScope())
        {
            var logits = model.Forward(tensor(prompt, 1, promptTokens), 0, cache, lastPositionOnly: true);
            next = TokenSampler.ArgMax(logits.reshape(-1).data<float>().ToArray());
        }

        var firstToken = clock.Elapsed;

        // CPU time alongside wall time: on a shared machine wall time also counts other processes' turns.
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        clock.Restart();
        for (var i = 0; i < decodeTokens; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var logits = model.Forward(tensor(new long[] { next }, 1, 1), promptTokens + i, cache, lastPositionOnly: true);
            next = TokenSampler.ArgMax(logits.reshape(-1).data<float>().ToArray());
        }

        var decode = clock.Elapsed;
        process.Refresh();
        var decodeCpu = process.TotalProcessorTime - cpuBefore;
        return new GenerationBenchmarkResult(
            model.Source,
            model.ParameterCount,
            get_num_threads(),
            promptTokens,
            promptTokens / firstToken.TotalSeconds,
            firstToken,
            decodeTokens,
            decodeTokens / decode.TotalSeconds,
            decodeCpu.TotalMilliseconds / decodeTokens,
            process.PeakWorkingSet64);
    }
    /// <summary>
    /// Runs <paramref name="concurrency"/> greedy requests of <paramref name="promptTokens"/> random prompt tokens and
    /// <paramref name="decodeTokens"/> new tokens at once through a <see cref="ContinuousBatcher"/> of that batch size, after
    /// a warm-up, and measures the aggregate decode rate while all of them are decoding.
    /// </summary>
    public static async Task<ConcurrentGenerationResult> RunConcurrentAsync(
        LlamaModel model, int concurrency, int promptTokens = 32, int decodeTokens = 64, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(concurrency);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(promptTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(decodeTokens, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(promptTokens + decodeTokens, model.Config.MaxSequenceLength);
        using var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions { MaxBatchSize = concurrency });
        var random = new Random(1234);
        var prompts = Enumerable.Range(0, concurrency)
            .Select(_ => Enumerable.Range(0, promptTokens).Select(_ => random.Next(3, model.Config.VocabSize)).ToArray())
            .ToArray();
        var options = new GenerationOptions { MaxNewTokens = decodeTokens };
        await foreach (var _ in batcher.GenerateAsync(prompts[0], options with { MaxNewTokens = 4 }, cancellationToken).ConfigureAwait(false))
        {
            // warm-up
        }

        // The window opens when the last request has its first token (every prompt is in) and closes when the first
        // request ends (the batch starts shrinking); tokens counted in it all came from full-batch decode steps.
        using var process = Process.GetCurrentProcess();
        var produced = 0L;
        var started = 0;
        var finished = 0;
        (long Tokens, TimeSpan Time, TimeSpan Cpu) open = default, close = default;
        var window = new Lock();
        var startCpu = CpuTime(process);
        var clock = Stopwatch.StartNew();

        async Task Consume(int[] prompt)
        {
            var first = true;
            await foreach (var _ in batcher.GenerateAsync(prompt, options, cancellationToken).ConfigureAwait(false))
            {
                var total = Interlocked.Increment(ref produced);
                if (first && Interlocked.Increment(ref started) == concurrency)
                {
                    lock (window)
                    {
                        open = (total, clock.Elapsed, CpuTime(process));
                    }
                }

                first = false;
            }

            if (Interlocked.Increment(ref finished) == 1)
            {
                lock (window)
                {
                    close = (Interlocked.Read(ref produced), clock.Elapsed, CpuTime(process));
                }
            }
        }

        await Task.WhenAll(prompts.Select(p => Task.Run(() => Consume(p), cancellationToken))).ConfigureAwait(false);
        var wall = clock.Elapsed;
        var tokens = close.Tokens - open.Tokens;
        var seconds = (close.Time - open.Time).TotalSeconds;
        var cpuSeconds = (close.Cpu - open.Cpu).TotalSeconds;
        if (tokens <= 0 || seconds <= 0)
        {
            // A request finished before the last one produced its first token (short runs on a busy machine): there
            // was no full-batch window, so the whole run is measured instead.
            tokens = Interlocked.Read(ref produced);
            seconds = wall.TotalSeconds;
            cpuSeconds = (CpuTime(process) - startCpu).TotalSeconds;
        }

        var rate = tokens > 0 && seconds > 0 ? tokens / seconds : 0;
        var cpu = tokens > 0 ? cpuSeconds / tokens : 0;
        return new ConcurrentGenerationResult(concurrency, promptTokens, decodeTokens, rate, rate / concurrency, cpu, wall);
    }

    private static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static void ResetPeakResidentMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: without it the peak includes loading, which only overstates memory.
        }
    }
}
