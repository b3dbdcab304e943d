using System.Globalization;
using Hanlin.Core.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Hanlin.Storage.Sqlite;

/// <summary>
/// Versioned schema: the embedded scripts <c>Migrations/NNNN_name.sql</c>, applied in order, each in its own
/// transaction together with its row in <c>schema_migrations</c>, so a crash leaves the schema at a whole version.
/// </summary>
internal static class SqliteSchema
{
    private const string ResourcePrefix = "Hanlin.Storage.Migrations.";

    public static IReadOnlyList<SqliteMigration> Migrations { get; } = LoadMigrations();

    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Applies the missing migrations; returns how many were applied.</summary>
    /// <exception cref="HanlinException"><c>schema_too_new</c> when the file was written by a newer Hanlin.</exception>
    public static async Task<int> MigrateAsync(SqliteConnection connection, string databasePath, ILogger logger, CancellationToken cancellationToken)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER NOT NULL PRIMARY KEY,
                    name       TEXT    NOT NULL,
                    applied_at INTEGER NOT NULL -- unix epoch milliseconds
                ) STRICT;
                """;
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var before = await CurrentVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        if (before == LatestVersion)
        {
            return 0;
        }

        var applied = 0;
        foreach (var migration in Migrations)
        {
            // IMMEDIATE: a second process starting at the same time waits here, then sees the version applied.
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = await CurrentVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (current > LatestVersion)
            {
                throw new HanlinException(
                    ErrorCodes.SchemaTooNew,
                    $"The database '{databasePath}' has schema version {current}, but this Hanlin knows only up to {LatestVersion}; upgrade Hanlin or use another data directory.");
            }

            if (current >= migration.Version)
            {
                continue;
            }

            using (var script = connection.CreateCommand())
            {
                script.Transaction = transaction;
                script.CommandText = migration.Sql;
                await script.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $appliedAt)";
                record.Parameters.AddWithValue("$version", migration.Version);
                record.Parameters.AddWithValue("$name", migration.Name);
                record.Parameters.AddWithValue("$appliedAt", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            transaction.Commit();
            applied++;
            StorageLog.MigrationApplied(logger, migration.Version, migration.Name, databasePath);
        }

        return applied;
    }

    public static async Task<int> CurrentVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var query = connection.CreateCommand();
        query.Transaction = transaction;
        query.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        var value = await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static List<SqliteMigration> LoadMigrations()
    {
        var assembly = typeof(SqliteSchema).Assembly;
        var migrations = new List<SqliteMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var separator = name.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(name.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new SqliteMigration(version, name[(separator + 1)..], reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            // Dense from 1: a gap would mean a lost script, and every database must replay the same sequence.
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Schema migrations must be numbered 1..N without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations.Count > 0 ? migrations : throw new InvalidOperationException("No schema migrations are embedded in Hanlin.Storage.");
    }
}
