using System.Security.Cryptography;
using System.Text;
using Hanlin.Core.Collections;
using Hanlin.Core.Documents;
using Hanlin.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Hanlin.Storage.Tests.Sqlite;

/// <summary>A real SQLite store in its own temp data directory, plus builders for versions and chunks.</summary>
internal sealed class StoreSandbox : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();

    private StoreSandbox()
    {
        Directory = HanlinDataDirectory.Open(_temp.Path);
        Store = new SqliteKnowledgeStore(Directory);
    }

    public HanlinDataDirectory Directory { get; }

    public SqliteKnowledgeStore Store { get; private set; }

    public static async Task<StoreSandbox> CreateAsync()
    {
        var sandbox = new StoreSandbox();
        await sandbox.Store.InitializeAsync(TestContext.Current.CancellationToken);
        return sandbox;
    }

    /// <summary>Closes the store and opens a fresh one on the same file, as a restarted process would.</summary>
    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = new SqliteKnowledgeStore(Directory);
        await Store.InitializeAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A connection outside the store (no pooling, so it releases the file when disposed).</summary>
    public SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Directory.DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public Task<Collection> CollectionAsync(string name = "demo") =>
        Store.GetOrCreateCollectionAsync(name, TestContext.Current.CancellationToken);

    public static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static ChunkDraft Chunk(int ordinal, string? text = null, ulong simHash = 0) => new(
        ordinal,
        text ?? $"chunk {ordinal}",
        "Title > Section",
        ordinal + 1,
        ordinal + 1,
        ordinal * 100,
        ordinal * 100 + 90,
        20,
        Sha(text ?? $"chunk {ordinal}"),
        simHash,
        ChunkKind.Paragraph);

    public static IReadOnlyList<ChunkDraft> Chunks(int count, string prefix = "chunk") =>
        [.. Enumerable.Range(0, count).Select(i => Chunk(i, $"{prefix} {i}", (ulong)i))];

    public static NewDocumentVersion Version(
        string collectionId,
        string sourceName,
        string content,
        IReadOnlyList<ChunkDraft> chunks,
        IReadOnlyList<int>? pagesNeedingOcr = null) => new(
            collectionId,
            sourceName,
            MediaTypes.PlainText,
            content.Length,
            Sha("original:" + content),
            Sha(content),
            content.Length,
            "A title",
            3,
            pagesNeedingOcr ?? [],
            chunks);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _temp.Dispose();
    }
}
