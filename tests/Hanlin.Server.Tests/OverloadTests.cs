using System.Net;
using Hanlin.Core.Errors;
using Hanlin.Rag.Search;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Server.Tests;

public sealed class OverloadTests
{
    [Fact]
    public async Task A_search_beyond_the_query_queue_is_refused_with_503_overloaded_and_retry_after_then_served_once_it_drains()
    {
        await using var server = await RunningServer.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Rag:MaxConcurrentQueries"] = "1",
            ["Rag:QueryQueueLimit"] = "1",
        });
        await server.IngestAsync("kb", ("aspirin.md", "# Aspirin\n\nEach tablet contains 100 mg of aspirin."));
        var gate = server.Services.GetRequiredService<QueryAdmission>();
        var running = await gate.EnterAsync(TestContext.Current.CancellationToken);
        var waiting = gate.EnterAsync(TestContext.Current.CancellationToken).AsTask();
        const string Search = "{\"query\": \"aspirin dose\", \"collections\": [\"kb\"]}";

        using (var refused = await server.Client.PostJsonTextAsync("/api/search", Search))
        {
            await Problems.AssertAsync(refused, HttpStatusCode.ServiceUnavailable, ErrorCodes.Overloaded);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        }

        running.Dispose();
        (await waiting).Dispose();
        using var served = await server.Client.PostJsonTextAsync("/api/search", Search);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains("100 mg", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
