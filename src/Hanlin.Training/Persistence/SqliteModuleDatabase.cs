using System.Globalization;
using Hanlin.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Hanlin.Training.Persistence;

/// <summary>
/// A SQLite file owned by one module of the model layer (the model registry, the fine-tuning store): opens a connection
/// per call, creates the schema on first use (its version in <c>PRAGMA user_version</c>, created under the write lock so
/// two processes never both create it), refuses a newer schema, and turns SQLite and file errors into
/// <see cref="HanlinException"/>s that name the file.
/// </summary>
internal sealed class SqliteModuleDatabase
{
    private const int BusyTimeoutMilliseconds = 10_000;
    private readonly string _connectionString;
    private readonly string _description;
    private readonly int _schemaVersion;
    private readonly string _schemaSql;
    private readonly string _pragmas;

    /// <param name="path">The database file.</param>
    /// <param name="description">What it is, for error messages ("model registry").</param>
    /// <param name="schemaVersion">The schema version <paramref name="schemaSql"/> creates (it must set <c>user_version</c>).</param>
    /// <param name="schemaSql">The statements that create the schema.</param>
    /// <param name="pooling">Whether connections are pooled (a pooled handle keeps the file open after use).</param>
    /// <param name="writeAheadLog">Whether the file uses WAL journaling (frequent small writes from several processes).</param>
    public SqliteModuleDatabase(string path, string description, int schemaVersion, string schemaSql, bool pooling, bool writeAheadLog)
    {
        Path = System.IO.Path.GetFullPath(path);
        _description = description;
        _schemaVersion = schemaVersion;
        _schemaSql = schemaSql;
        _pragmas = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA foreign_keys = ON;" + (writeAheadLog ? " PRAGMA journal_mode = WAL;" : string.Empty);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = pooling }.ToString();
    }

    /// <summary>Absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>Runs <paramref name="work"/> on an open connection with the schema in place.</summary>
    /// <exception cref="HanlinException"><c>storage_corrupt</c>, <c>schema_too_new</c> or <c>internal_error</c>, naming the file.</exception>
    public async Task<T> WithConnectionAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var connection = new SqliteConnection(_connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
                return await work(connection).ConfigureAwait(false);
            }
        }
        catch (SqliteException ex)
        {
            var code = ex.SqliteErrorCode is 11 or 26 ? ErrorCodes.StorageCorrupt : ErrorCodes.Internal; // SQLITE_CORRUPT, SQLITE_NOTADB
            throw new HanlinException(code, $"The {_description} '{Path}' reported an error: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.Internal, $"The {_description} '{Path}' cannot be opened: {ex.Message}", ex);
        }
    }

    /// <summary>A command on <paramref name="connection"/> in <paramref name="transaction"/>.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private async Task EnsureSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using (var pragmas = Command(connection, null, _pragmas))
        {
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using var version = Command(connection, null, "PRAGMA user_version");
        var current = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current == _schemaVersion)
        {
            return;
        }

        if (current > _schemaVersion)
        {
            throw new HanlinException(ErrorCodes.SchemaTooNew, $"The {_description} '{Path}' has schema version {current}; this Hanlin knows only up to {_schemaVersion}.");
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using (var recheck = Command(connection, transaction, "PRAGMA user_version"))
        {
            // Another process may have created the schema while this one waited for the write lock.
            if (Convert.ToInt32(await recheck.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == _schemaVersion)
            {
                return;
            }
        }

        using (var create = Command(connection, transaction, _schemaSql))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        transaction.Commit();
    }
}
