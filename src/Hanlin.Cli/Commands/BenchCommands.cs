using System.CommandLine;
using Hanlin.Cli.Bench;
using Hanlin.Cli.Output;
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
        return command;
    }

    private static Command SearchCommand(IAnsiConsole console)
    {
        var chunks = new Option<int>("--chunks") { Description = "Synthetic mixed zh/en chunks in the BM25 index (0 skips).", DefaultValueFactory = _ => 100_000 };
        var vectors = new Option<int>("--vectors") { Description = "Vectors in the HNSW index (0 skips).", DefaultValueFactory = _ => 100_000 };
        var dims = new Option<int>("--dims") { Description = "Vector dimensions.", DefaultValueFactory = _ => 384 };
        var intrinsic = new Option<int>("--intrinsic-dims") { Description = "Intrinsic dimension of the synthetic vectors (0 = isotropic random, the worst case).", DefaultValueFactory = _ => 24 };
        var command = new Command("search", "Measure BM25 latency and HNSW latency/recall against exact search on generated data.") { chunks, vectors, dims, intrinsic };
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
        var pdfPages = new Option<int>("--pdf-pages") { Description = "Text PDF pages to ingest (20-page files).", DefaultValueFactory = _ => 400 };
        var docxFiles = new Option<int>("--docx-files") { Description = "DOCX files of 200 paragraphs to ingest.", DefaultValueFactory = _ => 20 };
        var xlsxRows = new Option<int>("--xlsx-rows") { Description = "Rows of one XLSX sheet to ingest.", DefaultValueFactory = _ => 50_000 };
        var chinese = new Option<double>("--chinese-share") { Description = "Fraction of generated sentences in Chinese (0-1).", DefaultValueFactory = _ => 1 / 3.0 };
        var keep = new Option<bool>("--keep") { Description = "Keep the generated corpora and data directories." };
        var command = new Command("ingest", "Measure end-to-end ingestion throughput (MB/s, pages/s) and peak memory.") { textMb, pdfPages, docxFiles, xlsxRows, chinese, keep };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var work = Path.Combine(Path.GetTempPath(), "hanlin-bench-" + Guid.NewGuid().ToString("N")[..8]);
            var bench = new IngestionBenchmark(work, Math.Clamp(parseResult.GetValue(chinese), 0, 1));
            var results = new List<IngestionBenchmarkResult>();
            try
            {
                if (parseResult.GetValue(textMb) is > 0 and var mb)
                {
                    results.Add(await bench.TextAsync(mb * 1048576L, cancellationToken).ConfigureAwait(false));
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

            var table = new Table().AddColumns("Scenario", "Files", "MB", "Pages", "Chunks", "Seconds", "MB/s", "Pages/s", "Peak RSS MB", "Failed");
            foreach (var r in results)
            {
                table.AddRow(r.Scenario, r.Files.ToString(), (r.Bytes / 1048576.0).ToString("F1"), r.Pages.ToString(), r.Chunks.ToString("N0"), r.Seconds.ToString("F2"), r.MegabytesPerSecond.ToString("F1"), r.Pages > 0 ? r.PagesPerSecond.ToString("F0") : "-", (r.PeakWorkingSetBytes / 1048576.0).ToString("F0"), r.Failed.ToString());
            }

            console.Write(table);
            return results.All(r => r.Failed == 0) ? ExitCodes.Success : ExitCodes.PartialFailure;
        });
        return command;
    }
}
