using Hanlin.Core.Errors;
using Hanlin.Storage.Sqlite;

namespace Hanlin.Storage.Tests.Sqlite;

public sealed class SqliteSchemaTests
{
    [Fact]
    public async Task Migrations_are_applied_once_and_recorded_with_their_version()
    {
        await using var sandbox = await StoreSandbox.CreateAsync();
        var collection = await sandbox.CollectionAsync();

        await sandbox.ReopenAsync();
        await sandbox.ReopenAsync();

        using var connection = sandbox.OpenRawConnection();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT COUNT(*), MAX(version), MIN(version) FROM schema_migrations";
        using var reader = query.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(SqliteSchema.Migrations.Count, reader.GetInt32(0));
        Assert.Equal(SqliteSchema.LatestVersion, reader.GetInt32(1));
        Assert.Equal(1, reader.GetInt32(2));
        Assert.NotNull(await sandbox.Store.GetCollectionAsync(collection.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_database_runs_in_wal_mode_with_foreign_keys()
    {
        await using var sandbox = await StoreSandbox.CreateAsync();

        using var connection = sandbox.OpenRawConnection();
        using var query = connection.CreateCommand();
        query.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)query.ExecuteScalar());
        query.CommandText = "SELECT COUNT(*) FROM pragma_foreign_key_list('documents')";
        Assert.Equal(1L, (long)query.ExecuteScalar()!);
    }

    [Fact]
    public async Task A_database_from_a_newer_hanlin_is_refused()
    {
        await using var sandbox = await StoreSandbox.CreateAsync();
        await sandbox.Store.DisposeAsync();
        using (var connection = sandbox.OpenRawConnection())
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({SqliteSchema.LatestVersion + 1}, 'from_the_future', 0)";
            insert.ExecuteNonQuery();
        }

        await using var newer = new SqliteKnowledgeStore(sandbox.Directory);
        var ex = await Assert.ThrowsAsync<HanlinException>(() => newer.InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.SchemaTooNew, ex.Code);
        Assert.Contains(sandbox.Directory.DatabasePath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_reported_as_corrupt_storage()
    {
        using var temp = new TempDirectory();
        var directory = HanlinDataDirectory.Open(temp.Path);
        await File.WriteAllTextAsync(directory.DatabasePath, new string('x', 4096), TestContext.Current.CancellationToken);

        await using var store = new SqliteKnowledgeStore(directory);
        var ex = await Assert.ThrowsAsync<HanlinException>(() => store.InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.StorageCorrupt, ex.Code);
    }

    [Fact]
    public async Task Using_the_store_before_initializing_it_is_a_programming_error()
    {
        using var temp = new TempDirectory();
        await using var store = new SqliteKnowledgeStore(HanlinDataDirectory.Open(temp.Path));

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListCollectionsAsync(TestContext.Current.CancellationToken));
    }
}
