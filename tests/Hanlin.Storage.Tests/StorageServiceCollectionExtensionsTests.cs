using Hanlin.Core.Storage;
using Hanlin.Storage.Blobs;
using Hanlin.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Storage.Tests;

public sealed class StorageServiceCollectionExtensionsTests
{
    [Fact]
    public async Task The_storage_module_registers_working_singletons_over_the_given_directory()
    {
        using var temp = new TempDirectory();
        await using var services = new ServiceCollection().AddHanlinStorage(temp.File("data")).BuildServiceProvider();

        var store = services.GetRequiredService<IKnowledgeStore>();
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        var blobs = services.GetRequiredService<IBlobStore>();
        var (sha256, _) = await blobs.PutAsync(new MemoryStream([1, 2, 3]), TestContext.Current.CancellationToken);
        await store.CreateCollectionAsync("demo", null, TestContext.Current.CancellationToken);

        Assert.Same(store, services.GetRequiredService<SqliteKnowledgeStore>());
        Assert.Same(blobs, services.GetRequiredService<FileBlobStore>());
        Assert.Equal(temp.File("data"), services.GetRequiredService<HanlinDataDirectory>().Root);
        Assert.True(File.Exists(temp.File("data/hanlin.db")));
        Assert.True(blobs.Exists(sha256));
    }
}
