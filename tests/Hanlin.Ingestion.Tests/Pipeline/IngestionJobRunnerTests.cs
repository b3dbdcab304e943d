using System.IO.Compression;
using System.Text;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Core.Ingestion;

namespace Hanlin.Ingestion.Tests.Pipeline;

public sealed class IngestionJobRunnerTests
{
    private const string AspirinLeaflet = """
        # 阿司匹林肠溶片说明书

        ## 适应症

        用于降低急性心肌梗死疑似患者的发病风险。用于预防心肌梗死复发。用于中风的二级预防。

        ## 禁忌

        对阿司匹林或其他水杨酸盐过敏者禁用。活动性消化性溃疡患者禁用。严重的肝功能衰竭患者禁用。

        ## 药物相互作用

        与华法林合用时出血风险增加，应密切监测国际标准化比值。与布洛芬合用可能干扰阿司匹林的抗血小板作用。
        """;

    private const string WarfarinLeaflet = """
        # Warfarin Sodium Tablets

        ## Indications

        Warfarin is indicated for the prophylaxis and treatment of venous thrombosis and pulmonary embolism.

        ## Monitoring

        Monitor the INR at least weekly during initiation. Dosage must be individualised for each patient.
        The target INR for most indications is 2.0 to 3.0.
        """;

    [Fact]
    public async Task Ingesting_a_folder_stores_each_document_with_chunks_that_carry_their_provenance()
    {
        await using var h = await IngestionHarness.CreateAsync();
        h.Write("medical/aspirin.zh.md", AspirinLeaflet);
        h.Write("medical/warfarin.en.md", WarfarinLeaflet);

        var result = await h.IngestAsync();

        Assert.Equal(IngestionJobStatus.Succeeded, result.Job.Status);
        Assert.All(result.Files, f => Assert.Equal(FileOutcome.Ingested, f.Outcome));
        var aspirin = Assert.Single(result.Files, f => f.Path == "medical/aspirin.zh.md");
        var document = await h.Store.GetDocumentAsync(aspirin.DocumentId!);
        Assert.NotNull(document);
        Assert.Equal(MediaTypes.Markdown, document.MediaType);
        Assert.Equal(1, document.Version);

        var chunks = await h.Store.GetChunksAsync(document.Id);
        Assert.NotEmpty(chunks);
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal));
        var contraindications = Assert.Single(chunks, c => c.Text.Contains("活动性消化性溃疡", StringComparison.Ordinal));
        Assert.Contains("禁忌", contraindications.SectionPath, StringComparison.Ordinal);

        // Offsets index the stored normalised text of the version: a citation can be checked against it.
        var version = (await h.Store.ListVersionsAsync(document.Id)).Single();
        await using var textStream = h.Blobs.OpenRead(version.TextSha256);
        var text = await new StreamReader(textStream, Encoding.UTF8).ReadToEndAsync();
        Assert.Equal(version.TextLength, text.Length);
        foreach (var chunk in chunks)
        {
            Assert.Equal(chunk.Text, text[chunk.CharStart..chunk.CharEnd]);
            Assert.True(chunk.TokenCount > 0);
        }

        // The original bytes are kept, content-addressed.
        await using var original = h.Blobs.OpenRead(document.Sha256);
        Assert.Equal(Encoding.UTF8.GetBytes(AspirinLeaflet), ReadAll(original));
    }

    [Fact]
    public async Task Reingesting_an_unchanged_file_is_a_no_op()
    {
        await using var h = await IngestionHarness.CreateAsync();
        h.Write("warfarin.md", WarfarinLeaflet);
        var first = await h.IngestAsync();
        var documentId = first.Files.Single().DocumentId!;
        var chunkIds = (await h.Store.GetChunksAsync(documentId)).Select(c => c.Id).ToList();

        var second = await h.IngestAsync();

        var file = Assert.Single(second.Files);
        Assert.Equal(FileOutcome.Unchanged, file.Outcome);
        Assert.Equal(documentId, file.DocumentId);
        Assert.Equal(1, (await h.Store.GetDocumentAsync(documentId))!.Version);
        Assert.Equal(chunkIds, (await h.Store.GetChunksAsync(documentId)).Select(c => c.Id).ToList());
    }

    [Fact]
    public async Task A_changed_file_becomes_a_new_version_whose_chunks_replace_the_old_ones()
    {
        await using var h = await IngestionHarness.CreateAsync();
        var path = h.Write("warfarin.md", WarfarinLeaflet);
        var documentId = (await h.IngestAsync()).Files.Single().DocumentId!;
        var oldChunkIds = (await h.Store.GetChunksAsync(documentId)).Select(c => c.Id).ToHashSet();

        File.WriteAllText(path, WarfarinLeaflet.Replace("2.0 to 3.0", "2.5 to 3.5", StringComparison.Ordinal) + "\n\n## Storage\n\nStore below 25 °C in the original package.\n");
        var result = await h.IngestAsync();

        var file = Assert.Single(result.Files);
        Assert.Equal(FileOutcome.Ingested, file.Outcome);
        Assert.Equal(documentId, file.DocumentId);
        Assert.Equal(2, file.Version);
        var chunks = await h.Store.GetChunksAsync(documentId);
        Assert.DoesNotContain(chunks, c => oldChunkIds.Contains(c.Id));
        Assert.Contains(chunks, c => c.Text.Contains("2.5 to 3.5", StringComparison.Ordinal));
        Assert.DoesNotContain(chunks, c => c.Text.Contains("2.0 to 3.0", StringComparison.Ordinal));
        Assert.Equal(2, (await h.Store.ListVersionsAsync(documentId)).Count);
    }

    [Fact]
    public async Task The_same_document_under_another_name_is_reported_as_a_duplicate_and_not_stored_twice()
    {
        await using var h = await IngestionHarness.CreateAsync();
        h.Write("a/warfarin.md", WarfarinLeaflet);
        h.Write("b/warfarin-copy.md", WarfarinLeaflet.Replace("\n", "\r\n", StringComparison.Ordinal) + "\n\n\n");

        var result = await h.IngestAsync();

        var original = Assert.Single(result.Files, f => f.Path == "a/warfarin.md");
        var copy = Assert.Single(result.Files, f => f.Path == "b/warfarin-copy.md");
        Assert.Equal(FileOutcome.Ingested, original.Outcome);
        Assert.Equal(FileOutcome.Duplicate, copy.Outcome);
        Assert.Equal(original.DocumentId, copy.DocumentId);
        Assert.Single(await h.Store.ListDocumentsAsync(null));
    }

    [Fact]
    public async Task Near_duplicate_chunks_are_dropped_and_the_job_result_says_which()
    {
        await using var h = await IngestionHarness.CreateAsync();
        // A full-sized passage (as chunks are): SimHash is only meant for texts with enough features.
        var shared = "Patients taking warfarin together with aspirin have a markedly increased risk of gastrointestinal and intracranial bleeding, " +
                     "so the combination should be used only when the benefit clearly outweighs the risk and the INR is monitored closely by the prescriber. " +
                     "Non-steroidal anti-inflammatory drugs such as ibuprofen and naproxen add to this risk and may also reduce renal clearance. " +
                     "Several antibiotics, including metronidazole, ciprofloxacin and trimethoprim-sulfamethoxazole, potentiate the anticoagulant effect " +
                     "by inhibiting its hepatic metabolism, while rifampicin and carbamazepine induce the enzymes that clear it and lower the INR. " +
                     "Amiodarone inhibits the metabolism of both enantiomers; the maintenance dose usually has to be reduced by a third to a half " +
                     "and the INR checked weekly for at least a month after amiodarone is started or stopped. " +
                     "Patients should be told to report unusual bruising, black stools, blood in the urine or prolonged bleeding from cuts at once.";
        h.Write("a.md", $"## Interactions\n\n{shared} Reviewed in 2023.\n\n## Storage\n\nKeep tablets dry and away from children in a locked cabinet at all times.");
        h.Write("b.md", $"## Interactions\n\n{shared} Reviewed in 2024.\n\n## Dosage\n\nTake one tablet daily with water after a meal, at the same time each day, unless told otherwise.");

        var result = await h.IngestAsync();

        var b = Assert.Single(result.Files, f => f.Path == "b.md");
        Assert.Equal(FileOutcome.Ingested, b.Outcome);
        var dropped = Assert.Single(b.DroppedChunks);
        Assert.Contains("warfarin", dropped.Preview, StringComparison.Ordinal);
        var aChunks = await h.Store.GetChunksAsync(result.Files.Single(f => f.Path == "a.md").DocumentId!);
        Assert.Contains(aChunks, c => c.Id == dropped.DuplicateOfChunkId);
        Assert.InRange(dropped.HammingDistance, 0, 3);
        Assert.DoesNotContain(await h.Store.GetChunksAsync(b.DocumentId!), c => c.Text.Contains("intracranial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_bad_file_fails_alone_with_a_stable_code_and_nothing_of_it_is_stored()
    {
        var settings = new Dictionary<string, string?> { ["Ingestion:Limits:MaxFileBytes"] = "20000" };
        await using var h = await IngestionHarness.CreateAsync(settings);
        h.Write("good.md", WarfarinLeaflet);
        h.Write("empty.txt", []);
        h.Write("garbage.txt", Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 256)).ToArray());
        h.Write("truncated.pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa"));
        h.Write("huge.md", new string('x', 30_000));
        h.Write("image.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
        h.Write("fake.docx", ZipWith(("hello.txt", "not an office document")));

        var result = await h.IngestAsync();

        Assert.Equal(IngestionJobStatus.PartiallyFailed, result.Job.Status);
        Assert.Equal(FileOutcome.Ingested, result.Files.Single(f => f.Path == "good.md").Outcome);
        Assert.Equal(ErrorCodes.EmptyFile, Code(result, "empty.txt"));
        Assert.Equal(ErrorCodes.BinaryContent, Code(result, "garbage.txt"));
        Assert.Equal(ErrorCodes.CorruptFile, Code(result, "truncated.pdf"));
        Assert.Equal(ErrorCodes.FileTooLarge, Code(result, "huge.md"));
        Assert.Equal(ErrorCodes.UnsupportedMediaType, Code(result, "image.png"));
        Assert.Equal(ErrorCodes.UnsupportedMediaType, Code(result, "fake.docx"));
        Assert.All(result.Files.Where(f => f.Outcome == FileOutcome.Failed), f => Assert.False(string.IsNullOrWhiteSpace(f.ErrorMessage)));
        Assert.Single(await h.Store.ListDocumentsAsync(null));

        var recorded = await h.Store.GetFileResultsAsync(result.Job.Id);
        Assert.Equal(result.Files.Count, recorded.Count);
        Assert.Equal(6, recorded.Count(r => r.Outcome == FileOutcome.Failed));
    }

    [Fact]
    public async Task A_failed_update_keeps_the_stored_version_and_records_the_error_on_the_document()
    {
        await using var h = await IngestionHarness.CreateAsync();
        var path = h.Write("notes.txt", "Dosage: one tablet daily.\n\nStore in a cool place.");
        var documentId = (await h.IngestAsync()).Files.Single().DocumentId!;

        File.WriteAllBytes(path, [0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x00, 0x10, 0x11, 0x12, 0x00, 0x00, 0x13, 0x14]);
        var result = await h.IngestAsync();

        Assert.Equal(FileOutcome.Failed, result.Files.Single().Outcome);
        var document = (await h.Store.GetDocumentAsync(documentId))!;
        Assert.Equal(1, document.Version);
        Assert.Equal(ErrorCodes.BinaryContent, document.LastErrorCode);
        Assert.Contains(await h.Store.GetChunksAsync(documentId), c => c.Text.Contains("one tablet daily", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_a_document_removes_its_chunks_and_a_later_ingest_stores_it_afresh()
    {
        await using var h = await IngestionHarness.CreateAsync();
        h.Write("warfarin.md", WarfarinLeaflet);
        var documentId = (await h.IngestAsync()).Files.Single().DocumentId!;

        Assert.True(await h.Store.DeleteDocumentAsync(documentId));

        Assert.Null(await h.Store.GetDocumentAsync(documentId));
        Assert.Empty(await h.Store.GetChunksAsync(documentId));
        var again = Assert.Single((await h.IngestAsync()).Files);
        Assert.Equal(FileOutcome.Ingested, again.Outcome);
        Assert.NotEqual(documentId, again.DocumentId);
    }

    [Fact]
    public async Task A_cancelled_job_leaves_whole_documents_only_and_the_same_ingest_completes_the_rest()
    {
        await using var h = await IngestionHarness.CreateAsync();
        for (var i = 0; i < 6; i++)
        {
            h.Write($"doc{i}.md", $"# Document {i}\n\n{WarfarinLeaflet.Replace("Warfarin", $"Drug{i}", StringComparison.Ordinal)} Unique marker {i * 7919}.");
        }

        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.DoneFiles == 3)
            {
                cts.Cancel();
            }
        });
        var first = await h.IngestAsync(cancellationToken: cts.Token, progress: progress);

        Assert.Equal(IngestionJobStatus.Cancelled, first.Job.Status);
        var stored = await h.Store.ListDocumentsAsync(null);
        Assert.InRange(stored.Count, 1, 5);
        foreach (var document in stored)
        {
            Assert.Equal(document.ChunkCount, (await h.Store.GetChunksAsync(document.Id)).Count);
        }

        var second = await h.IngestAsync();
        Assert.Equal(IngestionJobStatus.Succeeded, second.Job.Status);
        Assert.Equal(stored.Count, second.Files.Count(f => f.Outcome == FileOutcome.Unchanged));
        Assert.Equal(6 - stored.Count, second.Files.Count(f => f.Outcome == FileOutcome.Ingested));
        Assert.Equal(6, (await h.Store.ListDocumentsAsync(null)).Count);
    }

    private static string? Code(Hanlin.Ingestion.Pipeline.IngestionJobResult result, string path) =>
        result.Files.Single(f => f.Path == path).ErrorCode;

    private static byte[] ZipWith(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test needs the callback before the next file starts.</summary>
    private sealed class SynchronousProgress(Action<Hanlin.Ingestion.Pipeline.IngestionProgress> onReport) : IProgress<Hanlin.Ingestion.Pipeline.IngestionProgress>
    {
        public void Report(Hanlin.Ingestion.Pipeline.IngestionProgress value) => onReport(value);
    }
}
