using System.Threading.RateLimiting;
using Hanlin.Core.Errors;
using Microsoft.Extensions.Options;

namespace Hanlin.Rag.Search;

/// <summary>
/// Admits CPU-bound query work (a search, the analysis behind an extractive answer) a few at a time, in arrival
/// order. A query is a few milliseconds of CPU; when more arrive than there are cores, letting them all run at once
/// makes the operating system and the thread pool share the cores among them, and a query that needs 7 ms
/// finishes only after every query sharing the cores has also had its 7 ms: under 32 concurrent clients on
/// 2 cores, p99 was twice the median. Admitted first come, first served, each query runs at full speed and
/// waits only for the queries that came before it, so latency stays close to the median. Beyond
/// <see cref="RagOptions.QueryQueueLimit"/> waiting queries, the next is refused as <c>overloaded</c> rather than
/// left to wait without bound.
/// </summary>
public sealed class QueryAdmission : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    /// <summary>Creates the gate from <see cref="RagOptions.MaxConcurrentQueries"/> and <see cref="RagOptions.QueryQueueLimit"/>.</summary>
    public QueryAdmission(IOptions<RagOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        Permits = value.MaxConcurrentQueries > 0 ? value.MaxConcurrentQueries : Environment.ProcessorCount;
        QueueLimit = value.QueryQueueLimit;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Permits,
            QueueLimit = QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Queries that run at once.</summary>
    public int Permits { get; }

    /// <summary>Queries that may wait.</summary>
    public int QueueLimit { get; }

    /// <summary>
    /// Waits for this query's turn; dispose the result when the query's CPU work is done.
    /// </summary>
    /// <exception cref="HanlinException"><c>overloaded</c> when <see cref="QueueLimit"/> queries are already waiting.</exception>
    /// <exception cref="OperationCanceledException">The caller gave up while waiting; no turn is taken.</exception>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new HanlinException(
                ErrorCodes.Overloaded,
                $"The server is busy: {Permits} queries are running and {QueueLimit} more are waiting. Try again in a moment.");
        }

        return lease;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
