using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace Hanlin.Models.Generation;

/// <summary>
/// Serves concurrent generation requests on one <see cref="LlamaModel"/> by continuous batching: a dedicated loop thread
/// keeps up to <see cref="ContinuousBatchingOptions.MaxBatchSize"/> active sequences, each in its own slot of one shared
/// KV cache. Every step runs one prompt chunk of a newly admitted request (if any) and then decodes one token for every
/// active sequence in one batched forward (<see cref="LlamaModel.ForwardDecode"/>), so the weights are read once per step
/// for all of them. A sequence that ends (stop token, max tokens, full context, cancellation) leaves at once and its slot
/// goes to the oldest waiting request. Each request keeps its own sampling options and seed, and a greedy request yields
/// the same tokens it would alone. Owns the loop and the cache, not the model; use one batcher per model, and run
/// nothing else on the model while it serves.
/// </summary>
public sealed class ContinuousBatcher : IDisposable
{
    // Cache length grows in steps of this many positions, so admitting requests rarely reallocates it.
    private const int CacheGranularity = 256;

    private readonly LlamaModel _model;
    private readonly ContinuousBatchingOptions _options;
    private readonly ConcurrentQueue<BatchedSequence> _incoming = new();
    private readonly ConcurrentQueue<TaskCompletionSource<long>> _probes = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Lock _admission = new();
    private readonly Thread _loop;

    // Loop thread only.
    private readonly Queue<BatchedSequence> _waiting = new();
    private readonly BatchedSequence?[] _slots;
    private KvCache? _cache;

    private long _arrivals;
    private int _queuedCount;
    private int _activeCount;
    private int _peakActiveCount;
    private int _largestDecodeBatch;
    private volatile bool _stopping;
    private bool _held; // guarded by _admission
    private int _disposed;

    /// <summary>Starts the scheduler's loop thread for <paramref name="model"/>, which the caller keeps owning.</summary>
    public ContinuousBatcher(LlamaModel model, ContinuousBatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _options = options ?? new ContinuousBatchingOptions();
        _options.Validate();
        _model = model;
        _slots = new BatchedSequence?[_options.MaxBatchSize];
        _loop = new Thread(Run) { IsBackground = true, Name = "hanlin-batcher" };
        _loop.Start();
    }

    /// <summary>Most sequences decoded together.</summary>
    public int MaxBatchSize => _options.MaxBatchSize;

    /// <summary>Requests waiting for a slot.</summary>
    public int QueuedCount => Volatile.Read(ref _queuedCount);

    /// <summary>Requests holding a slot (prefilling or decoding).</summary>
    public int ActiveCount => Volatile.Read(ref _activeCount);

    /// <summary>Most requests that held a slot at once since the batcher started.</summary>
    internal int PeakActiveCount => Volatile.Read(ref _peakActiveCount);

    /// <summary>Most sequences one decode step has run together since the batcher started.</summary>
    internal int LargestDecodeBatch => Volatile.Read(ref _largestDecodeBatch);

    /// <summary>
    /// Streams the token ids generated after <paramref name="promptIds"/> (stop tokens excluded) as the shared loop produces
    /// them. The request waits for a slot when <see cref="MaxBatchSize"/> are busy. Cancelling, or leaving the enumeration
    /// early, frees its slot at the next step without affecting the other requests.
    /// </summary>
    /// <exception cref="HanlinException">
    /// <c>context_length_exceeded</c> when the prompt does not fit the context, <c>invalid_argument</c> for ids outside the
    /// vocabulary (both before anything is queued), <c>internal_error</c> when the model fails (NaN logits) for this request.
    /// </exception>
    public async IAsyncEnumerable<int> GenerateAsync(
        IReadOnlyList<int> promptIds,
        GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        TextGenerator.Validate(_model, promptIds, options);
        cancellationToken.ThrowIfCancellationRequested();
        if (options.MaxNewTokens == 0)
        {
            yield break;
        }

        var sequence = new BatchedSequence([.. promptIds], options, _model.Config.MaxSequenceLength, Interlocked.Increment(ref _arrivals), cancellationToken);
        Interlocked.Increment(ref _queuedCount);
        _incoming.Enqueue(sequence);
        Wake();
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed while queuing: the loop may already have drained the queue for the last time.
            sequence.Abandon();
            throw new ObjectDisposedException(nameof(ContinuousBatcher));
        }

        // Wakes an idle loop so a cancelled request's slot is freed now rather than at the next arrival.
        using var registration = cancellationToken.Register(static state => ((ContinuousBatcher)state!).Wake(), this);
        try
        {
            await foreach (var token in sequence.Output.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // Tokens may already be buffered; a cancelled caller gets none of them.
                cancellationToken.ThrowIfCancellationRequested();
                yield return token;
            }
        }
        finally
        {
            sequence.Abandon();
            Wake();
        }
    }

    /// <summary>Stops the loop; requests still queued or running end with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping = true;
        _wake.Set();
        _loop.Join();
        Shutdown(); // requests queued while the loop was stopping
        _wake.Dispose();
    }

    /// <summary>
    /// Live tensors created by the loop thread, counted the next time it is idle (no request running, cache
    /// released): the figure a leak test compares across rounds of requests.
    /// </summary>
    internal Task<long> CountIdleLoopTensorsAsync()
    {
        var probe = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _probes.Enqueue(probe);
        Wake();
        return probe.Task;
    }

    /// <summary>Admits no queued request until the result is disposed, so a test can queue requests that start together.</summary>
    internal IDisposable Hold()
    {
        lock (_admission)
        {
            _held = true;
        }

        return new Release(this);
    }

    private void Wake()
    {
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // The loop has stopped; there is nothing to wake.
        }
    }

    private void Run()
    {
        while (true)
        {
            if (_stopping)
            {
                break;
            }

            Admit();
            var active = _slots.OfType<BatchedSequence>().ToList();
            if (active.Count == 0)
            {
                // Idle: the cache's memory goes back until the next request.
                _cache?.Dispose();
                _cache = null;
                AnswerProbes();
                _wake.WaitOne();
                continue;
            }

            Step(active);
        }

        Shutdown();
    }

    // Moves arrivals to the FIFO queue, drops queued requests whose callers gave up, and fills free slots in arrival order.
    private void Admit()
    {
        while (_incoming.TryDequeue(out var arrived))
        {
            _waiting.Enqueue(arrived);
        }

        if (_waiting.Any(s => s.Cancelled))
        {
            var kept = _waiting.Where(s => !s.Cancelled).ToList();
            foreach (var gone in _waiting.Where(s => s.Cancelled))
            {
                Interlocked.Decrement(ref _queuedCount);
                gone.Output.Writer.TryComplete(new OperationCanceledException(gone.CancellationToken));
            }

            _waiting.Clear();
            kept.ForEach(_waiting.Enqueue);
        }

        lock (_admission)
        {
            for (var slot = 0; slot < _slots.Length && _waiting.Count > 0 && !_held; slot++)
            {
                if (_slots[slot] is null)
                {
                    var sequence = _waiting.Dequeue();
                    sequence.Slot = slot;
                    _slots[slot] = sequence;
                    Interlocked.Decrement(ref _queuedCount);
                    var active = Interlocked.Increment(ref _activeCount);
                    InterlockedMax(ref _peakActiveCount, active);
                }
            }
        }
    }

    // One scheduler step: cancelled sequences leave, the oldest sequence still prefilling runs one prompt chunk, then
    // every sequence with a sampled token decodes its next one in a single forward.
    private void Step(List<BatchedSequence> active)
    {
        foreach (var sequence in active.Where(s => s.Cancelled).ToList())
        {
            End(sequence, new OperationCanceledException(sequence.CancellationToken));
            active.Remove(sequence);
        }

        if (active.Count == 0)
        {
            return;
        }

        if (!Guarded(active, () => EnsureCache(active)))
        {
            return;
        }

        if (active.Where(s => !s.Prefilled).MinBy(s => s.Arrival) is { } prefilling)
        {
            Guarded([prefilling], () => Prefill(prefilling));
        }

        var decoding = active.Where(s => s.Slot >= 0 && s.Pending >= 0).OrderBy(s => s.Slot).ToList();
        if (decoding.Count > 0)
        {
            Guarded(decoding, () => Decode(decoding));
        }
    }

    // Runs a forward for some sequences; a failure ends those sequences with the error and leaves the others running.
    // Every exception is caught: one escaping the loop thread would end the process, and it is delivered to the requests.
    private bool Guarded(IReadOnlyList<BatchedSequence> sequences, Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception ex)
        {
            var error = ex as HanlinException
                ?? new HanlinException(ErrorCodes.Internal, $"Generation with model '{_model.Source}' failed: {ex.Message}", ex);
            foreach (var sequence in sequences.Where(s => s.Slot >= 0))
            {
                End(sequence, error);
            }

            return false;
        }
    }

    // The cache holds MaxBatchSize sequences of the longest capacity any active one needs; growing it keeps what is written.
    private void EnsureCache(List<BatchedSequence> active)
    {
        var need = active.Max(s => s.Capacity);
        if (_cache is not null && _cache.MaxSequenceLength >= need)
        {
            return;
        }

        var context = _model.Config.MaxSequenceLength;
        var length = Math.Min(context, Math.Max(need, (need + CacheGranularity - 1) / CacheGranularity * CacheGranularity));
        var grown = _model.CreateCache(_slots.Length, length);
        if (_cache is not null)
        {
            var written = active.Max(s => s.Fed);
            if (written > 0)
            {
                grown.CopyFrom(_cache, written);
            }

            _cache.Dispose();
        }

        _cache = grown;
    }

    private void Prefill(BatchedSequence sequence)
    {
        using var scope = NewDisposeScope();
        var length = Math.Min(_options.PrefillChunkTokens, sequence.Prompt.Length - sequence.Fed);
        var chunk = new long[length];
        for (var i = 0; i < length; i++)
        {
            chunk[i] = sequence.Prompt[sequence.Fed + i];
        }

        var logits = _model.Forward(tensor(chunk, 1, length), sequence.Fed, _cache!.Slot(sequence.Slot), lastPositionOnly: true); // [1, 1, vocab]
        sequence.Fed += length;
        if (sequence.Prefilled)
        {
            Accept(sequence, logits.reshape(-1).data<float>().ToArray());
        }
    }

    private void Decode(List<BatchedSequence> decoding)
    {
        using var scope = NewDisposeScope();
        var rows = decoding.Count;
        InterlockedMax(ref _largestDecodeBatch, rows);
        var logits = _model.ForwardDecode(
            [.. decoding.Select(s => s.Pending)], [.. decoding.Select(s => s.Slot)], [.. decoding.Select(s => s.Fed)], _cache!); // [rows, 1, vocab]
        var vocab = (int)logits.shape[^1];
        var values = logits.reshape(-1).data<float>().ToArray();
        for (var row = 0; row < rows; row++)
        {
            var sequence = decoding[row];
            sequence.Fed++;
            sequence.Pending = -1;
            Accept(sequence, values.AsSpan(row * vocab, vocab).ToArray());
        }
    }

    // Samples from one row of logits and streams the token, or ends the sequence (stop token, max tokens, full context).
    private void Accept(BatchedSequence sequence, float[] logits)
    {
        if (Array.Exists(logits, float.IsNaN))
        {
            End(sequence, new HanlinException(ErrorCodes.Internal, $"Model '{_model.Source}' produced NaN logits at position {sequence.Fed - 1}."));
            return;
        }

        var token = sequence.Sampler.Next(logits);
        if (sequence.Options.StopTokenIds.Contains(token))
        {
            End(sequence, null);
            return;
        }

        sequence.Output.Writer.TryWrite(token);
        sequence.Sampler.ObserveGenerated(token);
        sequence.Produced++;
        if (sequence.Produced == sequence.Options.MaxNewTokens || sequence.Fed == _model.Config.MaxSequenceLength)
        {
            End(sequence, null);
            return;
        }

        sequence.Pending = token;
    }

    // Frees the sequence's slot and completes its stream (with the error, if any).
    private void End(BatchedSequence sequence, Exception? error)
    {
        if (sequence.Slot >= 0)
        {
            _slots[sequence.Slot] = null;
            sequence.Slot = -1;
            Interlocked.Decrement(ref _activeCount);
        }

        sequence.Pending = -1;
        sequence.Output.Writer.TryComplete(error);
    }

    private void AnswerProbes()
    {
        while (_probes.TryDequeue(out var probe))
        {
            probe.TrySetResult(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }

    private void Shutdown()
    {
        var stopped = new ObjectDisposedException(nameof(ContinuousBatcher), "The model's batcher was disposed.");
        while (_incoming.TryDequeue(out var arrived))
        {
            _waiting.Enqueue(arrived);
        }

        foreach (var sequence in _waiting.Concat(_slots.OfType<BatchedSequence>()).ToList())
        {
            End(sequence, stopped);
        }

        _waiting.Clear();
        _cache?.Dispose();
        _cache = null;
        AnswerProbes();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private sealed class Release(ContinuousBatcher batcher) : IDisposable
    {
        public void Dispose()
        {
            lock (batcher._admission)
            {
                batcher._held = false;
            }

            batcher.Wake();
        }
    }
}
