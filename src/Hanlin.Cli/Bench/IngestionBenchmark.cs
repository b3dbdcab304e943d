using Hanlin.Cli.Composition;
using Hanlin.Ingestion.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Cli.Bench;

/// <summary>
/// End-to-end ingestion throughput on generated corpora: each scenario gets a fresh data directory and
/// measures the whole pipeline (hash, sniff, extract, normalise, chunk, dedup, blobs, SQLite, BM25 index), not
/// a single stage, both until stored and until searchable, in wall-clock and CPU seconds. Corpus generation is
/// not timed.
/// </summary>
internal sealed class IngestionBenchmark
{
    private readonly string _workDirectory;
    private readonly double _chineseShare;

    public IngestionBenchmark(string workDirectory, double chineseShare)
    {
        _workDirectory = workDirectory;
        _chineseShare = chineseShare;
    }

    public Task<IngestionBenchmarkResult> TextAsync(long totalBytes, CancellationToken cancellationToken) =>
        TextFilesAsync("markdown/text", totalBytes, "doc-{0:D5}.md", (corpus, path, bytes) => corpus.WriteMarkdown(path, bytes), cancellationToken);

    public Task<IngestionBenchmarkResult> PlainTextAsync(long totalBytes, CancellationToken cancellationToken) =>
        TextFilesAsync("plain text", totalBytes, "note-{0:D5}.txt", (corpus, path, bytes) => corpus.WritePlainText(path, bytes), cancellationToken);

    public Task<IngestionBenchmarkResult> PdfAsync(int pages, CancellationToken cancellationToken) =>
        RunAsync("pdf (text)", 0, pages, (corpus, dir) =>
        {
            const int pagesPerFile = 20;
            for (var i = 0; i * pagesPerFile < pages; i++)
            {
                corpus.WritePdf(Path.Combine(dir, $"report-{i:D4}.pdf"), Math.Min(pagesPerFile, pages - (i * pagesPerFile)));
            }
        }, cancellationToken);

    public Task<IngestionBenchmarkResult> DocxAsync(int files, CancellationToken cancellationToken) =>
        RunAsync("docx", 0, 0, (corpus, dir) =>
        {
            for (var i = 0; i < files; i++)
            {
                corpus.WriteDocx(Path.Combine(dir, $"manual-{i:D4}.docx"), 200);
            }
        }, cancellationToken);

    public Task<IngestionBenchmarkResult> XlsxAsync(int rows, CancellationToken cancellationToken) =>
        RunAsync("xlsx", 0, 0, (corpus, dir) => corpus.WriteXlsx(Path.Combine(dir, "fees.xlsx"), rows), cancellationToken);

    /// <summary>Text scenarios: <paramref name="totalBytes"/> in 1 MB files named by <paramref name="nameFormat"/>.</summary>
    private Task<IngestionBenchmarkResult> TextFilesAsync(string scenario, long totalBytes, string nameFormat, Action<SyntheticCorpus, string, long> write, CancellationToken cancellationToken) =>
        RunAsync(scenario, totalBytes, pages: 0, (corpus, dir) => WriteTextFiles(corpus, dir, totalBytes, nameFormat, write), cancellationToken);

    /// <summary>Writes <paramref name="totalBytes"/> of text into <paramref name="directory"/> as 1 MB files named by <paramref name="nameFormat"/>.</summary>
    internal static void WriteTextFiles(SyntheticCorpus corpus, string directory, long totalBytes, string nameFormat, Action<SyntheticCorpus, string, long> write)
    {
        const long fileBytes = 1L << 20;
        for (var i = 0; i * fileBytes < totalBytes; i++)
        {
            write(corpus, Path.Combine(directory, string.Format(System.Globalization.CultureInfo.InvariantCulture, nameFormat, i)), Math.Min(fileBytes, totalBytes - (i * fileBytes)));
        }
    }

    private async Task<IngestionBenchmarkResult> RunAsync(string scenario, long _, int pages, Action<SyntheticCorpus, string> generate, CancellationToken cancellationToken)
    {
        var root = Path.Combine(_workDirectory, scenario.Replace('/', '-').Replace(' ', '-').Replace("(", string.Empty, StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal));
        var input = Path.Combine(root, "input");
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(input);
        generate(new SyntheticCorpus(seed: 42, _chineseShare), input);

        var sources = new SourceCollector(input).Collect([input], recursive: true);
        var bytes = sources.Sources.Sum(s => new FileInfo(s.FilePath).Length);

        await using var services = CliServices.Create(data);
        var store = services.GetRequiredService<Core.Storage.IKnowledgeStore>();
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var runner = services.GetRequiredService<IngestionJobRunner>();

        GC.Collect();
        await using var memory = new MemorySampler();
        var clock = new StoredClock();
        var result = await runner.RunAsync("bench", sources.Sources, sources.Failures, clock, cancellationToken).ConfigureAwait(false);
        var seconds = clock.ElapsedSeconds;
        var cpu = clock.CpuSeconds;
        var storedSeconds = clock.StoredSeconds ?? seconds;
        var storedCpu = clock.StoredCpuSeconds ?? cpu;
        var megabytes = bytes / 1048576.0;
        return new IngestionBenchmarkResult(
            scenario,
            sources.Sources.Count,
            bytes,
            pages,
            result.Summary.Chunks,
            seconds,
            megabytes / seconds,
            pages / seconds,
            storedSeconds,
            megabytes / storedSeconds,
            cpu,
            megabytes / cpu,
            storedCpu,
            megabytes / storedCpu,
            memory.PeakBytes,
            memory.StartBytes,
            result.Summary.Failed);
    }
}
