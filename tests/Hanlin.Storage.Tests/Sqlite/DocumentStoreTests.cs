using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using static Hanlin.Storage.Tests.Sqlite.StoreSandbox;

namespace Hanlin.Storage.Tests.Sqlite;

public sealed class DocumentStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chunks_with_their_documents_come_back_in_the_order_asked_and_unknown_ids_are_left_out()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var (first, _) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "a", Chunks(2, "a")), Ct);
        var (second, _) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "b.txt", "b", Chunks(1, "b")), Ct);
        var a = await sandbox.Store.GetChunksAsync(first.Id, Ct);
        var b = await sandbox.Store.GetChunksAsync(second.Id, Ct);

        var found = await sandbox.Store.GetChunksWithDocumentsAsync([b[0].Id, "chk_missing", a[1].Id, a[0].Id], Ct);

        Assert.Equal([b[0].Id, a[1].Id, a[0].Id], found.Select(f => f.Chunk.Id));
        Assert.Equal(["b.txt", "a.txt", "a.txt"], found.Select(f => f.Document.SourceName));
        Assert.Empty(await sandbox.Store.GetChunksWithDocumentsAsync([], Ct));
    }

    [Fact]
    public async Task A_save_returns_the_stored_chunks_exactly_as_reading_them_back_would()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var drafts = Chunks(4, "x").Reverse().ToList();

        var saved = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "a", drafts), Ct);

        var readBack = await sandbox.Store.GetChunksAsync(saved.Document.Id, Ct);
        Assert.Equal(readBack, saved.Chunks);
        Assert.Equal([0, 1, 2, 3], saved.Chunks.Select(c => c.Ordinal));
        Assert.All(saved.Chunks, c => Assert.Equal(saved.Version.Id, c.VersionId));
    }

    [Fact]
    public async Task A_first_save_creates_version_one_with_its_chunks_and_provenance()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var drafts = Chunks(3);

        var (document, version) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "docs/a.txt", "hello", drafts), Ct);

        Assert.Equal(1, document.Version);
        Assert.Equal(version.Id, document.CurrentVersionId);
        Assert.Equal(DocumentStatus.Ready, document.Status);
        Assert.Equal(3, document.ChunkCount);
        Assert.Equal(document, await sandbox.Store.GetDocumentAsync(document.Id, Ct));
        Assert.Equal(document, await sandbox.Store.FindDocumentBySourceAsync(collection.Id, "docs/a.txt", Ct));
        var chunks = await sandbox.Store.GetChunksAsync(document.Id, Ct);
        Assert.Equal(drafts.Select(d => d.Text), chunks.Select(c => c.Text));
        Assert.All(chunks, c => Assert.Equal((document.Id, version.Id), (c.DocumentId, c.VersionId)));
        var second = chunks[1];
        Assert.Equal(
            (drafts[1].Ordinal, drafts[1].SectionPath, drafts[1].PageStart, drafts[1].PageEnd, drafts[1].CharStart, drafts[1].CharEnd, drafts[1].TokenCount, drafts[1].ContentHash, drafts[1].Kind),
            (second.Ordinal, second.SectionPath, second.PageStart, second.PageEnd, second.CharStart, second.CharEnd, second.TokenCount, second.ContentHash, second.Kind));
        Assert.Equal(second, await sandbox.Store.GetChunkAsync(second.Id, Ct));
    }

    [Fact]
    public async Task Saving_the_same_source_again_creates_version_two_and_replaces_the_chunks()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var (first, v1) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "one", Chunks(4, "old")), Ct);
        var oldChunks = await sandbox.Store.GetChunksAsync(first.Id, Ct);

        var (second, v2) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "two", Chunks(2, "new")), Ct);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Version);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.Equal(v2.Id, second.CurrentVersionId);
        Assert.Equal(["new 0", "new 1"], (await sandbox.Store.GetChunksAsync(second.Id, Ct)).Select(c => c.Text));
        foreach (var old in oldChunks)
        {
            Assert.Null(await sandbox.Store.GetChunkAsync(old.Id, Ct));
        }

        var versions = await sandbox.Store.ListVersionsAsync(first.Id, Ct);
        Assert.Equal([v1, v2], versions, DocumentVersionComparer.Instance);
        Assert.Single(await sandbox.Store.ListDocumentsAsync(collection.Id, Ct));
        Assert.Equal(2, (await sandbox.Store.GetCollectionAsync(collection.Id, Ct))!.ChunkCount);
    }

    [Fact]
    public async Task Pages_needing_ocr_mark_the_document_and_round_trip_on_the_version()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();

        var (document, _) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "scan.pdf", "x", Chunks(1), pagesNeedingOcr: [2, 3]), Ct);

        Assert.Equal(DocumentStatus.NeedsOcr, (await sandbox.Store.GetDocumentAsync(document.Id, Ct))!.Status);
        Assert.Equal([2, 3], Assert.Single(await sandbox.Store.ListVersionsAsync(document.Id, Ct)).PagesNeedingOcr);
    }

    [Fact]
    public async Task A_document_is_found_by_the_text_hash_of_its_current_version_only()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var other = await sandbox.CollectionAsync("other");
        var (document, _) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "first text", Chunks(1)), Ct);

        Assert.Equal(document.Id, (await sandbox.Store.FindDocumentByTextHashAsync(collection.Id, Sha("first text"), Ct))?.Id);
        Assert.Null(await sandbox.Store.FindDocumentByTextHashAsync(other.Id, Sha("first text"), Ct));

        await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "second text", Chunks(1)), Ct);

        Assert.Null(await sandbox.Store.FindDocumentByTextHashAsync(collection.Id, Sha("first text"), Ct));
        Assert.Equal(document.Id, (await sandbox.Store.FindDocumentByTextHashAsync(collection.Id, Sha("second text"), Ct))?.Id);
    }

    [Fact]
    public async Task Fingerprints_round_trip_the_full_unsigned_range()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        ulong[] hashes = [0, 1, long.MaxValue, (ulong)long.MaxValue + 1, 0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF];
        var drafts = hashes.Select((h, i) => Chunk(i, $"chunk {i}", h)).ToArray();

        var (document, _) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "a", drafts), Ct);

        var fingerprints = await sandbox.Store.ListFingerprintsAsync(collection.Id, Ct);
        Assert.Equal(hashes.Order(), fingerprints.Select(f => f.SimHash).Order());
        Assert.All(fingerprints, f => Assert.Equal(document.Id, f.DocumentId));
        Assert.Equal(hashes, (await sandbox.Store.GetChunksAsync(document.Id, Ct)).Select(c => c.SimHash));
    }

    [Fact]
    public async Task A_chunk_that_breaks_a_schema_rule_midway_leaves_the_previous_version_intact()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var (document, v1) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "one", Chunks(3, "old")), Ct);
        var before = await sandbox.Store.GetChunksAsync(document.Id, Ct);
        var drafts = Chunks(1000, "new").ToArray();
        drafts[600] = drafts[600] with { CharStart = 50, CharEnd = 10 };

        var ex = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "two", drafts), Ct));

        Assert.Equal(ErrorCodes.InvalidArgument, ex.Code);
        Assert.Contains("600", ex.Message, StringComparison.Ordinal);
        await AssertStillAtVersionOneAsync(sandbox, document, v1, before);
    }

    [Fact]
    public async Task Cancellation_between_chunk_inserts_leaves_the_previous_version_intact()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var (document, v1) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "one", Chunks(3, "old")), Ct);
        var before = await sandbox.Store.GetChunksAsync(document.Id, Ct);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var drafts = new CancellingChunkList(Chunks(1000, "new"), cancelAt: 500, cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "two", drafts), cancellation.Token));

        Assert.True(drafts.Reached);
        await AssertStillAtVersionOneAsync(sandbox, document, v1, before);
    }

    [Fact]
    public async Task A_new_document_that_fails_midway_leaves_no_trace()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var drafts = Chunks(10).ToArray();
        drafts[5] = drafts[5] with { Ordinal = 2 };

        await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "a", drafts), Ct));

        Assert.Empty(await sandbox.Store.ListDocumentsAsync(collection.Id, Ct));
        Assert.Empty(await sandbox.Store.ListFingerprintsAsync(collection.Id, Ct));
    }

    [Fact]
    public async Task Saving_into_a_missing_collection_or_with_a_bad_hash_is_refused()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();

        var missing = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.SaveVersionAsync(Version("col_missing", "a.txt", "a", Chunks(1)), Ct));
        var badHash = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "a", Chunks(1)) with { Sha256 = "../x" }, Ct));

        Assert.Equal(ErrorCodes.CollectionNotFound, missing.Code);
        Assert.Equal(ErrorCodes.InvalidArgument, badHash.Code);
    }

    [Fact]
    public async Task A_recorded_error_is_kept_until_the_next_successful_version()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var (document, _) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "a", Chunks(2)), Ct);

        await sandbox.Store.RecordDocumentErrorAsync(document.Id, ErrorCodes.CorruptFile, "a.txt is truncated", Ct);
        var failed = await sandbox.Store.GetDocumentAsync(document.Id, Ct);
        await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "b", Chunks(2)), Ct);
        var recovered = await sandbox.Store.GetDocumentAsync(document.Id, Ct);

        Assert.Equal((ErrorCodes.CorruptFile, "a.txt is truncated", 1, 2), (failed!.LastErrorCode, failed.LastErrorMessage, failed.Version, failed.ChunkCount));
        Assert.Equal((null, null, 2), (recovered!.LastErrorCode, recovered.LastErrorMessage, recovered.Version));
        var ex = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.RecordDocumentErrorAsync("doc_missing", "x", "y", Ct));
        Assert.Equal(ErrorCodes.DocumentNotFound, ex.Code);
    }

    [Fact]
    public async Task Deleting_a_document_removes_its_versions_and_chunks_but_keeps_its_neighbours()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var (doomed, _) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "a.txt", "a", Chunks(3)), Ct);
        var (kept, _) = await sandbox.Store.SaveVersionAsync(Version(collection.Id, "b.txt", "b", Chunks(2)), Ct);

        Assert.True(await sandbox.Store.DeleteDocumentAsync(doomed.Id, Ct));

        Assert.False(await sandbox.Store.DeleteDocumentAsync(doomed.Id, Ct));
        Assert.Null(await sandbox.Store.GetDocumentAsync(doomed.Id, Ct));
        Assert.Empty(await sandbox.Store.ListVersionsAsync(doomed.Id, Ct));
        Assert.Empty(await sandbox.Store.GetChunksAsync(doomed.Id, Ct));
        Assert.Equal([kept.Id], (await sandbox.Store.ListFingerprintsAsync(collection.Id, Ct)).Select(f => f.DocumentId).Distinct());
    }

    [Fact]
    public async Task Referenced_blobs_include_originals_and_texts_of_every_version()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var first = Version(collection.Id, "a.txt", "one", Chunks(1));
        var second = Version(collection.Id, "a.txt", "two", Chunks(1));
        await sandbox.Store.SaveVersionAsync(first, Ct);
        await sandbox.Store.SaveVersionAsync(second, Ct);

        var referenced = await sandbox.Store.ListReferencedBlobsAsync(Ct);

        Assert.Equal(
            new[] { first.Sha256, first.TextSha256, second.Sha256, second.TextSha256 }.Order(StringComparer.Ordinal),
            referenced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Parallel_saves_of_different_documents_all_land()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(
            () => sandbox.Store.SaveVersionAsync(Version(collection.Id, $"doc-{i}.txt", $"text {i}", Chunks(50, $"doc {i}")), Ct),
            Ct)));

        var documents = await sandbox.Store.ListDocumentsAsync(collection.Id, Ct);
        Assert.Equal(16, documents.Count);
        Assert.All(documents, d => Assert.Equal((1, 50), (d.Version, d.ChunkCount)));
        Assert.Equal(16 * 50, (await sandbox.Store.ListFingerprintsAsync(collection.Id, Ct)).Count);
    }

    private static async Task AssertStillAtVersionOneAsync(StoreSandbox sandbox, Document document, DocumentVersion v1, IReadOnlyList<Chunk> before)
    {
        var after = await sandbox.Store.GetDocumentAsync(document.Id, Ct);
        Assert.Equal((1, v1.Id, 3), (after!.Version, after.CurrentVersionId, after.ChunkCount));
        Assert.Equal(before, await sandbox.Store.GetChunksAsync(document.Id, Ct));
        Assert.Equal([v1.Id], (await sandbox.Store.ListVersionsAsync(document.Id, Ct)).Select(v => v.Id));
        Assert.Equal(3, (await sandbox.Store.ListFingerprintsAsync(document.CollectionId, Ct)).Count);
    }
}
