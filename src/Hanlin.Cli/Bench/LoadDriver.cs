using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Hanlin.Cli.Bench;

/// <summary>
/// A closed-loop HTTP load generator: <c>connections</c> workers, each with its own keep-alive connection, send
/// requests back to back for a fixed time after a warm-up; latency is measured per request with a monotonic clock.
/// Hand-written because the machine has no load tool and the benchmark must run anywhere the CLI runs.
/// </summary>
internal static class LoadDriver
{
    public static async Task<LoadResult> RunAsync(
        Uri baseAddress, string path, Func<int, string> body, int connections, TimeSpan warmUp, TimeSpan duration, Process server, CancellationToken cancellationToken)
    {
        using var self = Process.GetCurrentProcess();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var measuring = false;
        var stop = false;
        var latencies = new List<long>[connections];
        var errors = new long[connections];
        var workers = new Task[connections];
        for (var w = 0; w < connections; w++)
        {
            var worker = w;
            latencies[worker] = new List<long>(1 << 16);
            workers[worker] = Task.Run(
                async () =>
                {
                    var i = worker;
                    while (!Volatile.Read(ref stop))
                    {
                        using var content = new StringContent(body(i), Encoding.UTF8);
                        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                        var started = Stopwatch.GetTimestamp();
                        var ok = false;
                        try
                        {
                            using var response = await client.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
                            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                            ok = response.IsSuccessStatusCode;
                        }
                        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                        {
                            // A refused connection or a request past the client timeout counts as an error, not a crash.
                        }

                        var elapsed = Stopwatch.GetTimestamp() - started;
                        if (Volatile.Read(ref measuring))
                        {
                            if (ok)
                            {
                                latencies[worker].Add(elapsed);
                            }
                            else
                            {
                                errors[worker]++;
                            }
                        }

                        i += connections;
                    }
                },
                cancellationToken);
        }

        await Task.Delay(warmUp, cancellationToken).ConfigureAwait(false);
        server.Refresh();
        self.Refresh();
        var serverCpu = server.TotalProcessorTime;
        var clientCpu = self.TotalProcessorTime;
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref measuring, false);
        var seconds = clock.Elapsed.TotalSeconds;
        server.Refresh();
        self.Refresh();
        serverCpu = server.TotalProcessorTime - serverCpu;
        clientCpu = self.TotalProcessorTime - clientCpu;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers).ConfigureAwait(false);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        static double PerRequest(TimeSpan cpu, int requests) => requests == 0 ? double.NaN : cpu.TotalMilliseconds / requests;
        return new LoadResult(path, connections, seconds, all.Length, errors.Sum(), all.Length / seconds, Percentile(0.50), Percentile(0.95), Percentile(0.99), Percentile(1.0),
            PerRequest(serverCpu, all.Length), PerRequest(clientCpu, all.Length));
    }
}
