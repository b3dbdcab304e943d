using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Hanlin.Cli.Composition;
using Hanlin.Core.Documents;
using Hanlin.Ingestion.Chunking;
using Hanlin.Ingestion.Cleaning;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Pipeline;
using Hanlin.Ingestion.Sniffing;
using Hanlin.Retrieval.Lexical;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hanlin.Cli.Bench;

/// <summary>
/// Splits a plain-text ingest into its compute stages and measures each one's CPU per megabyte in a warm process, with
/// the same components and settings the pipeline uses: read and SHA-256 of the original, sniff and decode, normalise
/// (with the normalised text's UTF-8 bytes and SHA-256), chunk (sentences, exact token counts, SimHash), and the BM25
/// index (the pipeline's background writer, batches and commit). A first pass over part of the corpus warms the process
/// up (the JIT's tiers settle); the measured pass then runs over the whole corpus into a fresh index. The stages before the
/// index run one after the other on one thread and are timed by the wall clock (on a quiet machine, their CPU); the index
/// is a phase of its own, timed in process CPU. Storage is not included.
/// This is the floor under the end-to-end figures: their difference is storage, parallelism lost and warm-up.
/// </summary>
internal sealed class IngestionStageBenchmark
{
    private static readonly string[] StageNames = ["read + SHA-256", "sniff + decode", "normalise", "chunk + count + SimHash", "BM25 index"];

    private readonly string _workDirectory;
    private readonly double _chineseShare;

    public IngestionStageBenchmark(string workDirectory, double chineseShare)
    {
        _workDirectory = workDirectory;
        _chineseShare = chineseShare;
    }

    public async Task<IngestionStageReport> RunAsync(long totalBytes, CancellationToken cancellationToken)
    {
        var input = Path.Combine(_workDirectory, "stages", "input");
        Directory.CreateDirectory(input);
        IngestionBenchmark.WriteTextFiles(new SyntheticCorpus(seed: 42, _chineseShare), input, totalBytes, "note-{0:D5}.txt", (corpus, path, bytes) => corpus.WritePlainText(path, bytes));

        var files = Directory.GetFiles(input).Order(StringComparer.Ordinal).ToArray();
        var warmUp = files.Take(Math.Max(1, files.Length / 5)).ToArray();
        var (warmBytes, _, warmSeconds, _) = await PassAsync("warm-up", warmUp, cancellationToken).ConfigureAwait(false);
        var (bytes, chunks, seconds, stagesProcessCpu) = await PassAsync("measured", files, cancellationToken).ConfigureAwait(false);

        var megabytes = bytes / 1048576.0;
        var stages = StageNames.Select((name, i) => new IngestionStageResult(name, seconds[i], 1000 * seconds[i] / megabytes, megabytes / seconds[i])).ToArray();
        var total = stages.Sum(s => s.MillisecondsPerMegabyte);
        var warmMegabytes = warmBytes / 1048576.0;
        return new IngestionStageReport(
            "plain text",
            files.Length,
            bytes,
            chunks,
            warmMegabytes,
            1000 * warmSeconds.Sum() / warmMegabytes,
            stages,
            total,
            1000 * (stagesProcessCpu + seconds[^1]) / megabytes,
            Environment.ProcessorCount,
            Environment.ProcessorCount * 1000 / total);
    }

    private async Task<(long Bytes, int Chunks, double[] Seconds, double StagesProcessCpu)> PassAsync(string name, string[] files, CancellationToken cancellationToken)
    {
        var data = Path.Combine(_workDirectory, "stages", name);
        await using var services = CliServices.Create(data);
        var sniffer = services.GetRequiredService<ContentSniffer>();
        var extractors = services.GetRequiredService<ExtractorRegistry>();
        var normalizer = services.GetRequiredService<DocumentNormalizer>();
        var chunker = services.GetRequiredService<StructuredChunker>();
        var options = services.GetRequiredService<IOptions<IngestionOptions>>().Value;
        var index = services.GetRequiredService<LuceneChunkIndex>();

        var seconds = new double[StageNames.Length];
        var documents = new List<(Document Document, Chunk[] Chunks)>(files.Length);
        long bytes = 0;
        var chunkCount = 0;
        var clock = Stopwatch.StartNew();
        var stagesCpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fileName = Path.GetFileName(file);
            clock.Restart();
            var content = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
            bytes += content.Length;
            Lap(seconds, 0, clock);

            using var stream = new MemoryStream(content, writable: false);
            var sniffed = sniffer.Sniff(stream, fileName);
            stream.Position = 0;
            var context = new ExtractionContext(fileName, sniffed.MediaType, options.Limits, sniffed.Encoding);
            var extracted = await extractors.Get(sniffed.MediaType, fileName).ExtractAsync(stream, context, cancellationToken).ConfigureAwait(false);
            Lap(seconds, 1, clock);

            var normalized = normalizer.Normalize(extracted);
            var textSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized.Text)));
            Lap(seconds, 2, clock);

            var drafts = chunker.Chunk(normalized, options.Chunking);
            Lap(seconds, 3, clock);

            chunkCount += drafts.Count;
            var now = DateTimeOffset.UtcNow;
            var documentId = $"doc-{documents.Count:D5}";
            var versionId = documentId + "-v1";
            var document = new Document(documentId, "bench", fileName, sniffed.MediaType, content.Length, sha256, 1, versionId, DocumentStatus.Ready, drafts.Count, null, textSha256, null, null, now, now);
            var chunks = drafts.Select(d => new Chunk($"{documentId}-{d.Ordinal}", documentId, versionId, d.Ordinal, d.Text, d.SectionPath, d.PageStart, d.PageEnd, d.CharStart, d.CharEnd, d.TokenCount, d.ContentHash, d.SimHash, d.Kind)).ToArray();
            documents.Add((document, chunks));
        }

        var stagesProcessCpu = (Process.GetCurrentProcess().TotalProcessorTime - stagesCpu).TotalSeconds;

        // The index writes on its own thread, as after a real ingest; the phase is timed in process CPU from the first
        // queued document until everything is committed and searchable.
        var processCpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var (document, chunks) in documents)
        {
            await index.ReplaceDocumentAsync(document, chunks, cancellationToken).ConfigureAwait(false);
        }

        await index.WaitForIndexedAsync(cancellationToken).ConfigureAwait(false);
        seconds[4] = (Process.GetCurrentProcess().TotalProcessorTime - processCpu).TotalSeconds;
        return (bytes, chunkCount, seconds, stagesProcessCpu);
    }

    private static void Lap(double[] seconds, int stage, Stopwatch clock)
    {
        seconds[stage] += clock.Elapsed.TotalSeconds;
        clock.Restart();
    }
}
