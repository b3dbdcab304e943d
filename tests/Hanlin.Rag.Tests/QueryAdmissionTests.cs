using Hanlin.Core.Errors;
using Hanlin.Rag.Search;
using Microsoft.Extensions.Options;

namespace Hanlin.Rag.Tests;

public sealed class QueryAdmissionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static QueryAdmission Gate(int permits, int queue) =>
        new(Options.Create(new RagOptions { MaxConcurrentQueries = permits, QueryQueueLimit = queue }));

    [Fact]
    public async Task Queries_beyond_the_permits_wait_and_are_admitted_in_arrival_order()
    {
        using var gate = Gate(permits: 1, queue: 10);
        var first = await gate.EnterAsync(Ct);
        var admitted = new List<int>();
        var waiting = Enumerable.Range(1, 4).Select(i => Admit(i)).ToList();

        await Task.Delay(50, Ct);
        Assert.Empty(admitted);
        first.Dispose();
        await Task.WhenAll(waiting);

        Assert.Equal([1, 2, 3, 4], admitted);

        async Task Admit(int i)
        {
            using var turn = await gate.EnterAsync(Ct);
            lock (admitted)
            {
                admitted.Add(i);
            }
        }
    }

    [Fact]
    public async Task A_query_beyond_the_queue_limit_is_refused_as_overloaded_and_the_others_still_run()
    {
        using var gate = Gate(permits: 1, queue: 2);
        var running = await gate.EnterAsync(Ct);
        var queued = new[] { gate.EnterAsync(Ct).AsTask(), gate.EnterAsync(Ct).AsTask() };

        var refused = await Assert.ThrowsAsync<HanlinException>(() => gate.EnterAsync(Ct).AsTask());

        Assert.Equal(ErrorCodes.Overloaded, refused.Code);
        Assert.Contains("busy", refused.Message, StringComparison.Ordinal);
        running.Dispose();
        (await queued[0]).Dispose();
        (await queued[1]).Dispose();
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_waiting_takes_no_turn()
    {
        using var gate = Gate(permits: 1, queue: 10);
        var running = await gate.EnterAsync(Ct);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var abandoned = gate.EnterAsync(giveUp.Token).AsTask();
        var next = gate.EnterAsync(Ct).AsTask();

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        running.Dispose();

        using var turn = await next.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(next.IsCompletedSuccessfully);
    }

    [Fact]
    public void Zero_permits_means_one_per_processor()
    {
        using var gate = Gate(permits: 0, queue: 5);

        Assert.Equal(Environment.ProcessorCount, gate.Permits);
        Assert.Equal(5, gate.QueueLimit);
    }
}
