using System.Security.Cryptography;
using System.Text;
using Hanlin.Core.Collections;
using Hanlin.Core.Documents;
using Hanlin.Retrieval.Analysis;
using Hanlin.Retrieval.Lexical;
using Hanlin.Storage;
using Hanlin.Storage.Sqlite;

namespace Hanlin.Retrieval.Tests.Lexical;

/// <summary>
/// The BM25 index following storage through its background writer: a real SQLite store and a real Lucene
/// directory; "a crash" is a store write the index was never told about.
/// </summary>
public sealed class LuceneChunkIndexTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private SqliteKnowledgeStore _store = null!;
    private Collection _collection = null!;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteKnowledgeStore(HanlinDataDirectory.Open(_temp.File("data")));
        await _store.InitializeAsync(TestContext.Current.CancellationToken);
        _collection = await _store.GetOrCreateCollectionAsync("kb", TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Queued_replacements_are_searchable_once_the_index_has_caught_up()
    {
        using var index = Open();
        await StoreAndQueueAsync(index, "warfarin.md", "Monitor the INR weekly during warfarin initiation.", "华法林与阿司匹林合用增加出血风险。");

        await index.WaitForIndexedAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, index.Index.Count);
        Assert.NotEmpty(index.Index.Search("INR weekly"));
        Assert.NotEmpty(index.Index.Search("出血风险"));
    }

    [Fact]
    public async Task Versions_queued_back_to_back_leave_only_the_last_one_indexed()
    {
        using var index = Open();
        await StoreAndQueueAsync(index, "fund.md", "The redemption fee is 1.5 percent.");
        await StoreAndQueueAsync(index, "fund.md", "Redemptions are free after seven days.", "Subscriptions close at noon.");

        await index.WaitForIndexedAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, index.Index.Count);
        Assert.Empty(index.Index.Search("percent"));
        Assert.NotEmpty(index.Index.Search("seven days"));
    }

    [Fact]
    public async Task A_removal_queued_behind_replacements_is_searchable_when_its_call_returns()
    {
        using var index = Open();
        var aspirin = await StoreAndQueueAsync(index, "aspirin.md", "Aspirin is contraindicated in active peptic ulcer.");
        await StoreAndQueueAsync(index, "ibuprofen.md", "Ibuprofen relieves mild to moderate pain.");

        await index.RemoveDocumentAsync(aspirin.Id, TestContext.Current.CancellationToken);

        Assert.Empty(index.Index.Search("aspirin ulcer"));
        Assert.NotEmpty(index.Index.Search("ibuprofen pain"));
    }

    [Fact]
    public async Task Queued_replacements_become_searchable_without_a_barrier_once_the_queue_goes_quiet()
    {
        using var index = Open();
        await StoreAndQueueAsync(index, "inr.md", "Check the INR within a week of any dose change.");
        await StoreAndQueueAsync(index, "fee.md", "基金赎回费率为百分之一点五。");

        // No WaitForIndexedAsync: the writer publishes on its own shortly after it runs out of work.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (index.Index.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(2, index.Index.Count);
        Assert.NotEmpty(index.Index.Search("INR dose change"));
        Assert.NotEmpty(index.Index.Search("赎回费率"));
    }

    [Fact]
    public async Task Disposing_the_index_writes_what_is_still_queued()
    {
        var path = _temp.File("lexical");
        using (var index = Open(path))
        {
            await StoreAndQueueAsync(index, "bond.md", "Coupon payments are made twice a year.", "债券票息每半年支付一次。");
        }

        using var reopened = Open(path);
        Assert.Equal(2, reopened.Index.Count);
    }

    [Fact]
    public async Task Repair_reindexes_a_new_version_the_index_missed_even_with_the_same_chunk_count()
    {
        using var index = Open();
        var first = await StoreAndQueueAsync(index, "leaflet.md", "Take one tablet daily with food.", "Store below 25 degrees.");
        await index.WaitForIndexedAsync(TestContext.Current.CancellationToken);

        // The process dies after storage committed the new version and before the index heard of it.
        await StoreAsync("leaflet.md", "Take two tablets daily before meals.", "Keep out of reach of children.");

        var report = await index.SynchronizeAsync(_store, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, report.DocumentsReindexed);
        Assert.Equal(2, index.Index.Count);
        Assert.Empty(index.Index.Search("food"));
        Assert.Equal(first.Id, Assert.Single(index.Index.Search("children")).DocumentId);
    }

    [Fact]
    public async Task Repair_removes_documents_deleted_from_storage_that_the_index_still_has()
    {
        using var index = Open();
        var document = await StoreAndQueueAsync(index, "old.md", "Quarterly revenue grew by nine percent.");
        await index.WaitForIndexedAsync(TestContext.Current.CancellationToken);
        await _store.DeleteDocumentAsync(document.Id, TestContext.Current.CancellationToken);

        var report = await index.SynchronizeAsync(_store, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, report.DocumentsRemoved);
        Assert.Equal(0, index.Index.Count);
    }

    private LuceneChunkIndex Open(string? path = null) =>
        new(new LuceneBm25Index(path ?? _temp.File("lexical-" + Guid.NewGuid().ToString("N")), new HanlinAnalyzer()));

    private async Task<Document> StoreAndQueueAsync(LuceneChunkIndex index, string name, params string[] texts)
    {
        var document = await StoreAsync(name, texts);
        var chunks = await _store.GetChunksAsync(document.Id, TestContext.Current.CancellationToken);
        await index.ReplaceDocumentAsync(document, chunks, TestContext.Current.CancellationToken);
        return document;
    }

    private async Task<Document> StoreAsync(string name, params string[] texts)
    {
        var content = string.Join("\n\n", texts);
        var offset = 0;
        var drafts = new List<ChunkDraft>();
        foreach (var text in texts)
        {
            drafts.Add(new ChunkDraft(drafts.Count, text, "Section", null, null, offset, offset + text.Length, 10, Sha(text), (ulong)drafts.Count, ChunkKind.Paragraph));
            offset += text.Length + 2;
        }

        var version = new NewDocumentVersion(_collection.Id, name, MediaTypes.Markdown, content.Length, Sha("original:" + content), Sha(content), content.Length, null, null, [], drafts);
        var (document, _) = await _store.SaveVersionAsync(version, TestContext.Current.CancellationToken);
        return document;
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
