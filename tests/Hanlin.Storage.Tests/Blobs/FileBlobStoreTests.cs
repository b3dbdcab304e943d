using System.Security.Cryptography;
using Hanlin.Core.Errors;
using Hanlin.Storage.Blobs;

namespace Hanlin.Storage.Tests.Blobs;

public sealed class FileBlobStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HanlinDataDirectory _directory;

    public FileBlobStoreTests() => _directory = HanlinDataDirectory.Open(_temp.Path);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_put_is_addressed_by_the_sha256_of_its_bytes_under_a_sharded_path()
    {
        var store = new FileBlobStore(_directory);
        var bytes = RandomBytes(300_000, seed: 1);

        var (sha256, length) = await store.PutAsync(new MemoryStream(bytes), Ct);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha256);
        Assert.Equal(bytes.Length, length);
        Assert.True(File.Exists(Path.Combine(_directory.BlobsPath, sha256[..2], sha256[2..4], sha256)));
        Assert.True(store.Exists(sha256));
        await using var read = store.OpenRead(sha256);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Putting_the_same_content_twice_keeps_one_blob_and_no_temp_files()
    {
        var store = new FileBlobStore(_directory);
        var bytes = RandomBytes(1000, seed: 2);

        var first = await store.PutAsync(new MemoryStream(bytes), Ct);
        var second = await store.PutAsync(new MemoryStream(bytes), Ct);

        Assert.Equal(first, second);
        Assert.Single(Directory.EnumerateFiles(_directory.BlobsPath, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(_directory.TempPath));
    }

    [Fact]
    public async Task Concurrent_puts_of_the_same_content_are_safe()
    {
        var store = new FileBlobStore(_directory);
        var bytes = RandomBytes(2_000_000, seed: 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => store.PutAsync(new MemoryStream(bytes), Ct), Ct)));

        Assert.Single(results.Distinct());
        Assert.Single(Directory.EnumerateFiles(_directory.BlobsPath, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(_directory.TempPath));
        await using var read = store.OpenRead(results[0].Sha256);
        Assert.Equal(bytes.Length, read.Length);
    }

    [Fact]
    public async Task A_put_whose_source_fails_midway_leaves_neither_a_blob_nor_a_temp_file()
    {
        var store = new FileBlobStore(_directory);

        await Assert.ThrowsAnyAsync<Exception>(() => store.PutAsync(new FailingStream(RandomBytes(500_000, seed: 4), failAfter: 200_000), Ct));

        Assert.Empty(Directory.EnumerateFiles(_directory.BlobsPath, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(_directory.TempPath));
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678/")]
    [InlineData("")]
    public void Malformed_hashes_are_refused_before_touching_the_file_system(string hash)
    {
        var store = new FileBlobStore(_directory);

        var open = Assert.Throws<HanlinException>(() => store.OpenRead(hash));
        var exists = Assert.Throws<HanlinException>(() => store.Exists(hash));

        Assert.Equal(ErrorCodes.InvalidArgument, open.Code);
        Assert.Equal(ErrorCodes.InvalidArgument, exists.Code);
    }

    [Fact]
    public void Opening_a_missing_blob_fails_with_not_found()
    {
        var store = new FileBlobStore(_directory);
        var missing = new string('a', 64);

        var ex = Assert.Throws<HanlinException>(() => store.OpenRead(missing));

        Assert.Equal(ErrorCodes.DocumentNotFound, ex.Code);
        Assert.False(store.Exists(missing));
    }

    [Fact]
    public async Task Garbage_collection_removes_unreferenced_blobs_and_stale_temp_files()
    {
        var store = new FileBlobStore(_directory) { GarbageGracePeriod = TimeSpan.Zero };
        var (kept, _) = await store.PutAsync(new MemoryStream(RandomBytes(100, seed: 5)), Ct);
        var (dropped, _) = await store.PutAsync(new MemoryStream(RandomBytes(100, seed: 6)), Ct);
        var staleTemp = Path.Combine(_directory.TempPath, "dead-process.part");
        await File.WriteAllBytesAsync(staleTemp, [1, 2, 3], Ct);
        var foreign = Path.Combine(_directory.BlobsPath, "README.txt");
        await File.WriteAllTextAsync(foreign, "not a blob", Ct);

        var removed = await store.CollectGarbageAsync(new HashSet<string> { kept }, Ct);

        Assert.Equal(1, removed);
        Assert.True(store.Exists(kept));
        Assert.False(store.Exists(dropped));
        Assert.False(File.Exists(staleTemp));
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public async Task Garbage_collection_spares_blobs_younger_than_the_grace_period()
    {
        var store = new FileBlobStore(_directory);
        var (fresh, _) = await store.PutAsync(new MemoryStream(RandomBytes(100, seed: 7)), Ct);
        var (old, _) = await store.PutAsync(new MemoryStream(RandomBytes(100, seed: 8)), Ct);
        File.SetLastWriteTimeUtc(store.PathOf(old), DateTime.UtcNow - store.GarbageGracePeriod - TimeSpan.FromMinutes(1));

        var removed = await store.CollectGarbageAsync(new HashSet<string>(), Ct);

        Assert.Equal(1, removed);
        Assert.True(store.Exists(fresh));
        Assert.False(store.Exists(old));
    }

    public void Dispose() => _temp.Dispose();

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
