using Hanlin.Core.Errors;
using static Hanlin.Storage.Tests.Sqlite.StoreSandbox;

namespace Hanlin.Storage.Tests.Sqlite;

public sealed class CollectionStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_created_collection_is_found_by_name_and_by_id()
    {
        await using var sandbox = await CreateAsync();

        var created = await sandbox.Store.CreateCollectionAsync("药品说明书", "drug leaflets", Ct);

        var byName = await sandbox.Store.GetCollectionAsync("药品说明书", Ct);
        var byId = await sandbox.Store.GetCollectionAsync(created.Id, Ct);
        Assert.Equal(created, byName);
        Assert.Equal(created, byId);
        Assert.StartsWith("col_", created.Id, StringComparison.Ordinal);
        Assert.Equal("drug leaflets", created.Description);
        Assert.Null(await sandbox.Store.GetCollectionAsync("missing", Ct));
    }

    [Fact]
    public async Task The_cheap_lookup_finds_a_collection_by_name_and_by_id_without_counting_it()
    {
        await using var sandbox = await CreateAsync();
        var created = await sandbox.Store.CreateCollectionAsync("药品说明书", "drug leaflets", Ct);

        var byName = await sandbox.Store.FindCollectionAsync("药品说明书", Ct);
        var byId = await sandbox.Store.FindCollectionAsync(created.Id, Ct);

        Assert.Equal(created with { DocumentCount = 0, ChunkCount = 0 }, byName);
        Assert.Equal(byName, byId);
        Assert.Null(await sandbox.Store.FindCollectionAsync("no such collection", Ct));
    }

    [Fact]
    public async Task Collection_names_are_unique_regardless_of_case()
    {
        await using var sandbox = await CreateAsync();
        await sandbox.Store.CreateCollectionAsync("finance", null, Ct);

        var exact = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.CreateCollectionAsync("finance", null, Ct));
        var otherCase = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.CreateCollectionAsync("Finance", null, Ct));

        Assert.Equal(ErrorCodes.CollectionExists, exact.Code);
        Assert.Equal(ErrorCodes.CollectionExists, otherCase.Code);
        Assert.Single(await sandbox.Store.ListCollectionsAsync(Ct));
    }

    [Fact]
    public async Task Invalid_collection_names_are_rejected_before_touching_the_database()
    {
        await using var sandbox = await CreateAsync();

        var ex = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.CreateCollectionAsync("../etc", null, Ct));

        Assert.Equal(ErrorCodes.InvalidCollectionName, ex.Code);
    }

    [Fact]
    public async Task Get_or_create_returns_the_existing_collection()
    {
        await using var sandbox = await CreateAsync();

        var first = await sandbox.Store.GetOrCreateCollectionAsync("law", Ct);
        var second = await sandbox.Store.GetOrCreateCollectionAsync("law", Ct);

        Assert.Equal(first.Id, second.Id);
        Assert.Single(await sandbox.Store.ListCollectionsAsync(Ct));
    }

    [Fact]
    public async Task Collections_are_listed_by_name_with_their_document_and_chunk_counts()
    {
        await using var sandbox = await CreateAsync();
        var beta = await sandbox.Store.CreateCollectionAsync("beta", null, Ct);
        await sandbox.Store.CreateCollectionAsync("alpha", null, Ct);
        await sandbox.Store.SaveVersionAsync(Version(beta.Id, "a.txt", "a", Chunks(3)), Ct);
        await sandbox.Store.SaveVersionAsync(Version(beta.Id, "b.txt", "b", Chunks(4)), Ct);

        var listed = await sandbox.Store.ListCollectionsAsync(Ct);

        Assert.Equal(["alpha", "beta"], listed.Select(c => c.Name));
        Assert.Equal((0, 0L), (listed[0].DocumentCount, listed[0].ChunkCount));
        Assert.Equal((2, 7L), (listed[1].DocumentCount, listed[1].ChunkCount));
    }

    [Fact]
    public async Task The_cheap_listing_lists_every_collection_by_name_without_counting_them()
    {
        await using var sandbox = await CreateAsync();
        var beta = await sandbox.Store.CreateCollectionAsync("beta", "b", Ct);
        await sandbox.Store.CreateCollectionAsync("alpha", null, Ct);
        await sandbox.Store.SaveVersionAsync(Version(beta.Id, "a.txt", "a", Chunks(3)), Ct);

        var counted = await sandbox.Store.ListCollectionsAsync(Ct);
        var listed = await sandbox.Store.FindCollectionsAsync(Ct);

        Assert.Equal(counted.Select(c => c with { DocumentCount = 0, ChunkCount = 0 }), listed);
        Assert.Equal((1, 3L), (counted[1].DocumentCount, counted[1].ChunkCount));
    }

    [Fact]
    public async Task Deleting_a_collection_removes_its_documents_versions_chunks_and_jobs()
    {
        await using var sandbox = await CreateAsync();
        var doomed = await sandbox.Store.CreateCollectionAsync("doomed", null, Ct);
        var kept = await sandbox.Store.CreateCollectionAsync("kept", null, Ct);
        var (document, _) = await sandbox.Store.SaveVersionAsync(Version(doomed.Id, "a.txt", "a", Chunks(5)), Ct);
        await sandbox.Store.SaveVersionAsync(Version(doomed.Id, "a.txt", "a2", Chunks(5)), Ct);
        var (keptDocument, _) = await sandbox.Store.SaveVersionAsync(Version(kept.Id, "a.txt", "a", Chunks(2)), Ct);
        var job = await sandbox.Store.CreateJobAsync(doomed.Id, 1, 1, Ct);

        Assert.True(await sandbox.Store.DeleteCollectionAsync("doomed", Ct));

        Assert.Null(await sandbox.Store.GetCollectionAsync(doomed.Id, Ct));
        Assert.Null(await sandbox.Store.GetDocumentAsync(document.Id, Ct));
        Assert.Empty(await sandbox.Store.ListVersionsAsync(document.Id, Ct));
        Assert.Empty(await sandbox.Store.GetChunksAsync(document.Id, Ct));
        Assert.Empty(await sandbox.Store.ListFingerprintsAsync(doomed.Id, Ct));
        Assert.Null(await sandbox.Store.GetJobAsync(job.Id, Ct));
        Assert.Equal(2, (await sandbox.Store.GetChunksAsync(keptDocument.Id, Ct)).Count);
        Assert.False(await sandbox.Store.DeleteCollectionAsync("doomed", Ct));
        using var connection = sandbox.OpenRawConnection();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT (SELECT COUNT(*) FROM chunks) + (SELECT COUNT(*) FROM document_versions)";
        Assert.Equal(3L, (long)count.ExecuteScalar()!);
    }
}
