using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hanlin.Cli.Composition;
using Hanlin.Core.Documents;
using Hanlin.Core.Storage;
using Hanlin.Retrieval.Lexical;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Cli.Bench;

/// <summary>
/// <c>hanlin bench serve</c>: stores and indexes synthetic chunks, starts <c>hanlin serve</c> as a separate process
/// (so its cold start and resident memory are the server's alone), then drives <c>/api/search</c> and extractive
/// <c>/v1/chat/completions</c> with concurrent keep-alive connections from this process.
/// </summary>
internal sealed class ServeBenchmark
{
    private const string Collection = "bench";
    private const int ChunksPerDocument = 100;
    private const int WordsPerChunk = 120;

    private readonly string _work;
    private readonly IProgress<string>? _progress;

    public ServeBenchmark(string work, IProgress<string>? progress)
    {
        _work = work;
        _progress = progress;
    }

    private string DataDirectory => Path.Combine(_work, "data");

    public async Task<ServeBenchmarkResult> RunAsync(int chunks, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var build = Stopwatch.StartNew();
        var queries = await BuildAsync(chunks, cancellationToken).ConfigureAwait(false);
        var buildSeconds = build.Elapsed.TotalSeconds;
        _progress?.Report($"stored and indexed {chunks:N0} chunks in {buildSeconds:F1} s");

        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        using var server = StartServer(port);
        try
        {
            var coldStart = await WaitUntilReadyAsync(server, baseAddress, cancellationToken).ConfigureAwait(false);
            _progress?.Report($"server ready {coldStart:F0} ms after process start");
            // Long enough for the JIT's tier-up (with profile-guided optimisation) to finish under load, as in a server that has
            // been up for a minute; with a 3 s warm-up the first measured seconds still ran unoptimised code.
            var warmUp = TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds, 1, 10));
            var search = await LoadDriver.RunAsync(
                baseAddress,
                "/api/search",
                i => JsonSerializer.Serialize(new Dictionary<string, object> { ["query"] = queries[i % queries.Count], ["top_k"] = 10, ["mode"] = "bm25" }),
                connections,
                warmUp,
                duration,
                server,
                cancellationToken).ConfigureAwait(false);
            _progress?.Report($"/api/search: {search.RequestsPerSecond:F0} req/s, p50 {search.P50Ms:F1} ms, p99 {search.P99Ms:F1} ms, CPU/request server {search.ServerCpuMsPerRequest:F2} ms, client {search.ClientCpuMsPerRequest:F2} ms");
            var chat = await LoadDriver.RunAsync(
                baseAddress,
                "/v1/chat/completions",
                i => JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["model"] = "kb:" + Collection,
                    ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = queries[(i * 7) % queries.Count] } },
                }),
                connections,
                warmUp,
                duration,
                server,
                cancellationToken).ConfigureAwait(false);
            _progress?.Report($"/v1/chat/completions: {chat.RequestsPerSecond:F0} req/s, p50 {chat.P50Ms:F1} ms, p99 {chat.P99Ms:F1} ms, CPU/request server {chat.ServerCpuMsPerRequest:F2} ms, client {chat.ClientCpuMsPerRequest:F2} ms");
            server.Refresh();
            return new ServeBenchmarkResult(chunks, buildSeconds, coldStart, [search, chat], server.WorkingSet64 / 1048576.0, server.PeakWorkingSet64 / 1048576.0, Environment.ProcessorCount);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stores <paramref name="chunks"/> synthetic chunks (100 per document) and indexes them; returns queries drawn from them.</summary>
    private async Task<IReadOnlyList<string>> BuildAsync(int chunks, CancellationToken cancellationToken)
    {
        // The same Zipf-skewed corpus and queries as `bench search` (120 words a chunk, 2-5 word queries), so the
        // server's figures and the in-process BM25 figures describe the same workload.
        var corpus = new Retrieval.Benchmarks.SyntheticCorpus(seed: 42);
        var queries = new List<string>();

        // A kept work directory already holding this corpus is reused: the text is regenerated (seeded, so the same
        // queries come out) but not stored or indexed again, which is most of a run's time.
        var marker = Path.Combine(_work, string.Create(CultureInfo.InvariantCulture, $"corpus-zipf-{chunks}.done"));
        var reuse = File.Exists(marker);
        await using var services = CliServices.Create(DataDirectory);
        var store = services.GetRequiredService<IKnowledgeStore>();
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var collection = await store.GetOrCreateCollectionAsync(Collection, cancellationToken).ConfigureAwait(false);
        for (var d = 0; d * ChunksPerDocument < chunks; d++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(ChunksPerDocument, chunks - (d * ChunksPerDocument));
            var drafts = new List<ChunkDraft>(count);
            var offset = 0;
            for (var c = 0; c < count; c++)
            {
                var text = corpus.Text(WordsPerChunk);
                drafts.Add(new ChunkDraft(c, text, $"Document {d} > Section {c / 10}", c / 5 + 1, c / 5 + 1, offset, offset + text.Length, text.Length / 3, Hash(text), (ulong)corpus.Next(int.MaxValue), ChunkKind.Paragraph));
                offset += text.Length + 2;
            }

            if (reuse)
            {
                continue;
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"synthetic/{d:D5}.md");
            await store.SaveVersionAsync(new NewDocumentVersion(collection.Id, name, MediaTypes.Markdown, offset, Hash(name), Hash(name + "#text"), offset, name, count / 5 + 1, [], drafts), cancellationToken).ConfigureAwait(false);
        }

        for (var q = 0; q < 1000; q++)
        {
            queries.Add(corpus.Query());
        }

        if (!reuse)
        {
            await services.GetRequiredService<LuceneChunkIndex>().SynchronizeAsync(store, rebuild: true, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(marker, string.Empty, cancellationToken).ConfigureAwait(false);
        }

        return queries;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts this executable's <c>serve</c> (through the dotnet host when run as a dll).</summary>
    private Process StartServer(int port)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The current executable is unknown.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ServeBenchmark).Assembly.Location);
        }

        foreach (var argument in new[] { "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--data", DataDirectory, "--json" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HANLIN_Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("hanlin serve did not start.");

        // Drain the pipes so a chatty server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>Polls <c>/readyz</c>; returns milliseconds from the process's start to the first 200.</summary>
    private static async Task<double> WaitUntilReadyAsync(Process server, Uri baseAddress, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            if (server.HasExited)
            {
                throw new Core.Errors.HanlinException(Core.Errors.ErrorCodes.Internal, $"hanlin serve exited with code {server.ExitCode} before it was ready.");
            }

            try
            {
                using var response = await client.GetAsync("readyz", timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return (DateTime.Now - server.StartTime).TotalMilliseconds;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !timeout.IsCancellationRequested))
            {
                // Not listening yet, or too slow to answer this poll.
            }

            await Task.Delay(10, timeout.Token).ConfigureAwait(false);
        }
    }
}
