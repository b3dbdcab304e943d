using System.CommandLine;
using Hanlin.Cli.Bench;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary><c>hanlin bench ingest</c>: throughput and memory figures written to docs/benchmarks.md.</summary>
internal static class BenchCommands
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("bench", "Benchmarks on generated data (no network, no external files).");
        command.Subcommands.Add(IngestCommand(console));
        command.Subcommands.Add(SearchCommand(console));
        command.Subcommands.Add(GenerateCommand(console));
        command.Subcommands.Add(ServeCommand(console));
        command.Subcommands.Add(BenchFinetuneCommand.Create(console));
        return command;
    }

    private static Command GenerateCommand(IAnsiConsole console)
    {
        var model = new Option<string?>("--model") { Description = "A Hugging Face directory, GGUF file or llama2.c checkpoint to measure; by default a random-weight model of the reference shape (Qwen2.5-0.5B-like, 896 hidden, 24 layers) built in memory." };
        var dtype = new Option<string>("--dtype") { Description = "fp32 or bf16.", DefaultValueFactory = _ => "fp32" };
        var prompt = new Option<int>("--prompt-tokens") { Description = "Prompt length processed in one forward.", DefaultValueFactory = _ => 512 };
        var decode = new Option<int>("--decode-tokens") { Description = "Tokens decoded one at a time.", DefaultValueFactory = _ => 128 };
        var concurrency = new Option<int[]>("--concurrency")
        {
            Description = "Also measure aggregate decode tokens/s of this many concurrent greedy requests sharing the model through continuous batching (several values allowed: --concurrency 1 2 4 8); each request has a 32-token prompt and the --decode-tokens length.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("generate", "Measure prompt and decode tokens/s, time to first token and peak memory, with the machine's matrix-vector bandwidth and matrix-matrix peak.") { model, dtype, prompt, decode, concurrency };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var scalar = parseResult.GetValue(dtype) switch
            {
                "fp32" => TorchSharp.torch.ScalarType.Float32,
                "bf16" => TorchSharp.torch.ScalarType.BFloat16,
                var other => throw new Hanlin.Core.Errors.HanlinException(Hanlin.Core.Errors.ErrorCodes.InvalidArgument, $"--dtype must be fp32 or bf16, not '{other}'."),
            };
            Hanlin.Models.Runtime.TorchRuntime.EnsureLoaded();

            // The probe streams ~400 MB of its own matrices; it runs (and frees them) before the model exists, so the
            // peak resident memory reported is the model's.
            var probe = Hanlin.Models.Benchmarks.HardwareProbe.Run(scalar);
            var path = parseResult.GetValue(model);
            if (!context.Json)
            {
                console.MarkupLine(path is null ? "Building a random-weight model of the reference shape…" : $"Loading [bold]{Markup.Escape(path)}[/]…");
            }

            using var llama = path is null
                ? Hanlin.Models.Llama.LlamaModel.CreateRandom(Hanlin.Models.Benchmarks.GenerationBenchmark.ReferenceShape, seed: 1, dtype: scalar)
                : Directory.Exists(path)
                    ? await Hanlin.Models.Llama.LlamaModel.LoadHuggingFaceAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : Hanlin.Models.Gguf.GgufFile.HasMagic(path)
                        ? await Hanlin.Models.Llama.LlamaModel.LoadGgufAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false)
                        : Hanlin.Models.Llama.LlamaModel.LoadLlama2c(path);
            llama.ConvertTo(scalar);
            var result = Hanlin.Models.Benchmarks.GenerationBenchmark.Run(llama, parseResult.GetValue(prompt), parseResult.GetValue(decode), cancellationToken);
            var concurrent = new List<Hanlin.Models.Benchmarks.ConcurrentGenerationResult>();
            foreach (var requests in parseResult.GetValue(concurrency) ?? [])
            {
                concurrent.Add(await Hanlin.Models.Benchmarks.GenerationBenchmark.RunConcurrentAsync(llama, requests, decodeTokens: parseResult.GetValue(decode), cancellationToken: cancellationToken).ConfigureAwait(false));
            }

            JsonOutput.Write(console, new { generation = result, concurrent, dtype = parseResult.GetValue(dtype), weight_bytes = llama.ParameterCount * (scalar == TorchSharp.torch.ScalarType.Float32 ? 4 : 2), hardware = probe });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ServeCommand(IAnsiConsole console)
    {
        var chunks = new Option<int>("--chunks") { Description = "Synthetic mixed zh/en chunks stored and indexed.", DefaultValueFactory = _ => 100_000 };
        var connections = new Option<int>("--connections", "-c") { Description = "Concurrent keep-alive connections.", DefaultValueFactory = _ => 32 };
        var seconds = new Option<int>("--seconds", "-s") { Description = "Measured seconds per endpoint (after a warm-up).", DefaultValueFactory = _ => 10 };
        var keep = new Option<bool>("--keep") { Description = "Keep the generated data directory." };
        var workDirectory = new Option<string?>("--work") { Description = "Work directory to use and keep; a corpus of the same size already there is reused instead of rebuilt." };
        var command = new Command("serve", "Start 'hanlin serve' on generated chunks and load /api/search and extractive /v1/chat/completions: req/s, p50/p95/p99, CPU per request, server RSS, cold start.") { chunks, connections, seconds, keep, workDirectory };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var n = parseResult.GetValue(chunks);
            var c = parseResult.GetValue(connections);
            var s = parseResult.GetValue(seconds);
            if (n < 1 || c is < 1 or > 1024 || s is < 1 or > 3600)
            {
                throw new Hanlin.Core.Errors.HanlinException(Hanlin.Core.Errors.ErrorCodes.InvalidArgument, "--chunks must be positive, --connections 1-1024 and --seconds 1-3600.");
            }

            var given = parseResult.GetValue(workDirectory);
            var work = given is null ? Path.Combine(Path.GetTempPath(), "hanlin-bench-serve-" + Guid.NewGuid().ToString("N")[..8]) : Path.GetFullPath(given);
            var progress = context.Json ? null : new Progress<string>(line => console.Profile.Out.Writer.WriteLine(line));
            try
            {
                var result = await new ServeBenchmark(work, progress).RunAsync(n, c, TimeSpan.FromSeconds(s), cancellationToken).ConfigureAwait(false);
                if (context.Json)
                {
                    JsonOutput.Write(console, result);
                    return ExitCodes.Success;
                }

                var table = new Table().AddColumns("Endpoint", "Conns", "Requests", "Errors", "Req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "server CPU ms/req", "client CPU ms/req");
                foreach (var r in result.Load)
                {
                    table.AddRow(r.Endpoint, r.Connections.ToString(), r.Requests.ToString("N0"), r.Errors.ToString(), r.RequestsPerSecond.ToString("F0"), r.P50Ms.ToString("F1"), r.P95Ms.ToString("F1"), r.P99Ms.ToString("F1"), r.MaxMs.ToString("F1"), r.ServerCpuMsPerRequest.ToString("F2"), r.ClientCpuMsPerRequest.ToString("F2"));
                }

                console.Write(table);
                console.MarkupLine($"{result.Chunks:N0} chunks (built in {result.BuildSeconds:F1} s); cold start to ready {result.ColdStartMs:F0} ms; server RSS {result.ServerRssMb:F0} MB (peak {result.ServerPeakRssMb:F0} MB); {result.ProcessorCount} cores.");
                return ExitCodes.Success;
            }
            finally
            {
                if (given is null && !parseResult.GetValue(keep) && Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
        });
        return command;
    }

    private static Command SearchCommand(IAnsiConsole console)
    {
        var chunks = new Option<int>("--chunks") { Description = "Synthetic mixed zh/en chunks in the BM25 index (0 skips).", DefaultValueFactory = _ => 100_000 };
        var vectors = new Option<int>("--vectors") { Description = "Vectors in the HNSW index (0 skips).", DefaultValueFactory = _ => 100_000 };
        var dims = new Option<int>("--dims") { Description = "Vector dimensions.", DefaultValueFactory = _ => 384 };
        var intrinsic = new Option<int>("--intrinsic-dims") { Description = "Intrinsic dimension of the synthetic vectors (0 = isotropic random, the worst case).", DefaultValueFactory = _ => 24 };
        var scoring = new Option<Hanlin.Retrieval.Lexical.Bm25Scoring>("--lexical-scoring") { Description = "How BM25 finds top hits: MaxScore, MaxScoreLooseBounds or Lucene (same hits).", DefaultValueFactory = _ => Hanlin.Retrieval.Lexical.Bm25Scoring.MaxScore };
        var queries = new Option<int>("--queries") { Description = "Timed BM25 queries.", DefaultValueFactory = _ => 2_000 };
        var topK = new Option<int>("--top-k") { Description = "Hits asked of each BM25 query.", DefaultValueFactory = _ => 10 };
        var command = new Command("search", "Measure BM25 latency and HNSW latency/recall against exact search on generated data.") { chunks, vectors, dims, intrinsic, scoring, queries, topK };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var work = Path.Combine(Path.GetTempPath(), "hanlin-bench-search-" + Guid.NewGuid().ToString("N")[..8]);
            var options = new Hanlin.Retrieval.Benchmarks.RetrievalBenchmarkOptions
            {
                WorkDirectory = work,
                ChunkCount = parseResult.GetValue(chunks),
                VectorCount = parseResult.GetValue(vectors),
                Dimensions = parseResult.GetValue(dims),
                VectorIntrinsicDimension = parseResult.GetValue(intrinsic),
                LexicalScoring = parseResult.GetValue(scoring),
                LexicalQueries = parseResult.GetValue(queries),
                LexicalTopK = parseResult.GetValue(topK),
            };
            var progress = new Progress<string>(line => console.Profile.Out.Writer.WriteLine(line));
            var result = Hanlin.Retrieval.Benchmarks.RetrievalBenchmark.Run(options, CliContext.From(parseResult, console).Json ? null : progress, cancellationToken);
            JsonOutput.Write(console, result);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command IngestCommand(IAnsiConsole console)
    {
        var textMb = new Option<int>("--text-mb") { Description = "Megabytes of Markdown to ingest (1 MB files).", DefaultValueFactory = _ => 50 };
        var plainMb = new Option<int>("--plain-mb") { Description = "Megabytes of plain text to ingest (1 MB .txt files).", DefaultValueFactory = _ => 50 };
        var pdfPages = new Option<int>("--pdf-pages") { Description = "Text PDF pages to ingest (20-page files).", DefaultValueFactory = _ => 400 };
        var docxFiles = new Option<int>("--docx-files") { Description = "DOCX files of 200 paragraphs to ingest.", DefaultValueFactory = _ => 20 };
        var xlsxRows = new Option<int>("--xlsx-rows") { Description = "Rows of one XLSX sheet to ingest.", DefaultValueFactory = _ => 50_000 };
        var chinese = new Option<double>("--chinese-share") { Description = "Fraction of generated sentences in Chinese (0-1).", DefaultValueFactory = _ => 1 / 3.0 };
        var keep = new Option<bool>("--keep") { Description = "Keep the generated corpora and data directories." };
        var stages = new Option<bool>("--stages") { Description = "Instead of the scenarios, measure the CPU per MB of each stage of a plain-text ingest (--plain-mb) in a warm process." };
        var command = new Command("ingest", "Measure end-to-end ingestion throughput (MB/s, pages/s) and peak memory.") { textMb, plainMb, pdfPages, docxFiles, xlsxRows, chinese, keep, stages };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var work = Path.Combine(Path.GetTempPath(), "hanlin-bench-" + Guid.NewGuid().ToString("N")[..8]);
            if (parseResult.GetValue(stages))
            {
                return await StagesAsync(context, console, work, parseResult.GetValue(plainMb), Math.Clamp(parseResult.GetValue(chinese), 0, 1), parseResult.GetValue(keep), cancellationToken).ConfigureAwait(false);
            }

            var bench = new IngestionBenchmark(work, Math.Clamp(parseResult.GetValue(chinese), 0, 1));
            var results = new List<IngestionBenchmarkResult>();
            try
            {
                if (parseResult.GetValue(textMb) is > 0 and var mb)
                {
                    results.Add(await bench.TextAsync(mb * 1048576L, cancellationToken).ConfigureAwait(false));
                }

                if (parseResult.GetValue(plainMb) is > 0 and var plain)
                {
                    results.Add(await bench.PlainTextAsync(plain * 1048576L, cancellationToken).ConfigureAwait(false));
                }

                if (parseResult.GetValue(pdfPages) is > 0 and var pages)
                {
                    results.Add(await bench.PdfAsync(pages, cancellationToken).ConfigureAwait(false));
                }

                if (parseResult.GetValue(docxFiles) is > 0 and var docx)
                {
                    results.Add(await bench.DocxAsync(docx, cancellationToken).ConfigureAwait(false));
                }

                if (parseResult.GetValue(xlsxRows) is > 0 and var rows)
                {
                    results.Add(await bench.XlsxAsync(rows, cancellationToken).ConfigureAwait(false));
                }
            }
            finally
            {
                if (!parseResult.GetValue(keep) && Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }

            if (context.Json)
            {
                JsonOutput.Write(console, new { machine = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription }, results });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Scenario", "Files", "MB", "Pages", "Chunks", "Stored s", "Searchable s", "MB/s stored", "MB/s searchable", "MB/CPU-s searchable", "Pages/s", "Peak RSS MB", "Failed");
            foreach (var r in results)
            {
                table.AddRow(r.Scenario, r.Files.ToString(), (r.Bytes / 1048576.0).ToString("F1"), r.Pages.ToString(), r.Chunks.ToString("N0"), r.StoredSeconds.ToString("F2"), r.Seconds.ToString("F2"), r.StoredMegabytesPerSecond.ToString("F1"), r.MegabytesPerSecond.ToString("F1"), r.MegabytesPerCpuSecond.ToString("F1"), r.Pages > 0 ? r.PagesPerSecond.ToString("F0") : "-", (r.PeakWorkingSetBytes / 1048576.0).ToString("F0"), r.Failed.ToString());
            }

            console.Write(table);
            return results.All(r => r.Failed == 0) ? ExitCodes.Success : ExitCodes.PartialFailure;
        });
        return command;
    }
    private static async Task<int> StagesAsync(CliContext context, IAnsiConsole console, string work, int megabytes, double chineseShare, bool keep, CancellationToken cancellationToken)
    {
        if (megabytes <= 0)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "--stages measures a plain-text corpus: give --plain-mb a positive size.");
        }

        IngestionStageReport report;
        try
        {
            report = await new IngestionStageBenchmark(work, chineseShare).RunAsync(megabytes * 1048576L, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!keep && Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        if (context.Json)
        {
            JsonOutput.Write(console, new { machine = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription }, stages = report });
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Stage (warm process)", "Seconds", "ms/MB", "MB/CPU-s");
        foreach (var stage in report.Stages)
        {
            table.AddRow(stage.Stage, stage.Seconds.ToString("F2"), stage.MillisecondsPerMegabyte.ToString("F1"), stage.MegabytesPerCpuSecond.ToString("F1"));
        }

        table.AddRow("all stages", string.Empty, report.MillisecondsPerMegabyte.ToString("F1"), (1000 / report.MillisecondsPerMegabyte).ToString("F1"));
        console.Write(table);
        console.MarkupLine($"{report.Bytes / 1048576.0:F1} MB in {report.Files} files, {report.Chunks:N0} chunks; process CPU {report.ProcessMillisecondsPerMegabyte:F0} ms/MB (with GC and JIT threads).");
        console.MarkupLine($"Warm-up pass ({report.WarmUpMegabytes:F1} MB, fresh process): {report.WarmUpMillisecondsPerMegabyte:F0} ms/MB.");
        console.MarkupLine($"Ceiling of these stages alone on {report.Cores} cores, perfectly parallel and without storage: {report.CeilingMegabytesPerSecond:F1} MB/s.");
        return ExitCodes.Success;
    }
}
