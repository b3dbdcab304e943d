using System.Globalization;
using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Core.Identity;
using Hanlin.Training.Persistence;
using Microsoft.Data.Sqlite;

namespace Hanlin.Training.Registry;

/// <summary>
/// The model registry: base models, adapters and merged models with their lineage, metrics, lifecycle status and the
/// SHA-256 and size of every file, in the SQLite file <c>registry.db</c> of the data directory.
/// </summary>
/// <remarks>
/// A database file of its own rather than a migration in Hanlin.Storage's <c>hanlin.db</c>: the registry belongs to the
/// model layer, which must not depend on the data layer's internal schema runner; its lifecycle differs (model
/// directories are copied between machines together with their registry, a knowledge base is not); and Storage's
/// migrations must be numbered densely, so a <c>0002</c> written here would collide with any other module's. Its own
/// schema version lives in <c>PRAGMA user_version</c>. Files are hashed outside any transaction (weights take seconds
/// to read); rows are written in one IMMEDIATE transaction so that versions stay dense under concurrent registrations.
/// </remarks>
public sealed class ModelRegistry
{
    /// <summary>The registry's file name inside the data directory.</summary>
    public const string FileName = "registry.db";

    private const string IdPrefix = "mdl";
    private const int SchemaVersion = 1;

    private const string Columns = "id, name, version, kind, directory, base_model_id, dataset_sha256, hyperparameters, metrics, job_id, status, created_at";

    private readonly SqliteModuleDatabase _database;

    /// <summary>Opens (creating on first write) the registry database at <paramref name="databasePath"/>.</summary>
    public ModelRegistry(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);

        // No pooling: commands are rare, and a pooled handle would keep the file open after the registry is dropped.
        _database = new SqliteModuleDatabase(DatabasePath, "model registry", SchemaVersion, RegistrySchema.Version1, pooling: false, writeAheadLog: false);
    }

    /// <summary>Absolute path of the registry database.</summary>
    public string DatabasePath { get; }

    /// <summary>The registry of the data directory <paramref name="dataDirectoryRoot"/>.</summary>
    public static ModelRegistry ForDataDirectory(string dataDirectoryRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectoryRoot);
        return new ModelRegistry(Path.Combine(dataDirectoryRoot, FileName));
    }

    /// <summary>Hashes every file of the model directory and records the next version of its name.</summary>
    /// <exception cref="HanlinException">
    /// <c>file_not_found</c> for a missing or empty directory, <c>invalid_argument</c> for a bad name, JSON or base model id.
    /// </exception>
    public async Task<ModelEntry> RegisterAsync(ModelRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ValidateName(registration.Name);
        ValidateJson(registration.HyperparametersJson, "hyperparameters");
        ValidateJson(registration.MetricsJson, "metrics");
        if (registration.DatasetSha256 is { } datasetHash && (datasetHash.Length != 64 || !datasetHash.All(char.IsAsciiHexDigitLower)))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"'{datasetHash}' is not a dataset sha256: expected 64 lowercase hexadecimal characters.");
        }

        var directory = Path.GetFullPath(registration.Directory);
        if (!Directory.Exists(directory))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The model directory '{directory}' does not exist.");
        }

        var files = await ModelDirectoryHasher.HashDirectoryAsync(directory, cancellationToken).ConfigureAwait(false);
        if (files.Count == 0)
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The model directory '{directory}' contains no files.");
        }

        return await WithConnectionAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (registration.BaseModelId is { } baseId && await FindByIdAsync(connection, transaction, baseId, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new HanlinException(ErrorCodes.ModelNotFound, $"The base model '{baseId}' is not registered.");
            }

            using var next = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) + 1 FROM models WHERE name = $name");
            next.Parameters.AddWithValue("$name", registration.Name);
            var version = Convert.ToInt32(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            var entry = new ModelEntry(
                HanlinId.New(IdPrefix), registration.Name, version, registration.Kind, directory, registration.BaseModelId, registration.DatasetSha256,
                registration.HyperparametersJson, registration.MetricsJson, registration.JobId, ModelStatus.Registered,
                DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), files);

            using (var insert = Command(connection, transaction, $"INSERT INTO models ({Columns}) VALUES ($id, $name, $version, $kind, $directory, $base, $dataset, $hyper, $metrics, $job, $status, $created)"))
            {
                insert.Parameters.AddWithValue("$id", entry.Id);
                insert.Parameters.AddWithValue("$name", entry.Name);
                insert.Parameters.AddWithValue("$version", entry.Version);
                insert.Parameters.AddWithValue("$kind", Text(entry.Kind));
                insert.Parameters.AddWithValue("$directory", entry.Directory);
                insert.Parameters.AddWithValue("$base", (object?)entry.BaseModelId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$dataset", (object?)entry.DatasetSha256 ?? DBNull.Value);
                insert.Parameters.AddWithValue("$hyper", (object?)entry.HyperparametersJson ?? DBNull.Value);
                insert.Parameters.AddWithValue("$metrics", (object?)entry.MetricsJson ?? DBNull.Value);
                insert.Parameters.AddWithValue("$job", (object?)entry.JobId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$status", Text(entry.Status));
                insert.Parameters.AddWithValue("$created", entry.CreatedAt.ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using (var insertFile = Command(connection, transaction, "INSERT INTO model_files (model_id, path, sha256, size_bytes) VALUES ($model, $path, $sha, $size)"))
            {
                var path = insertFile.Parameters.Add("$path", SqliteType.Text);
                var sha = insertFile.Parameters.Add("$sha", SqliteType.Text);
                var size = insertFile.Parameters.Add("$size", SqliteType.Integer);
                insertFile.Parameters.AddWithValue("$model", entry.Id);
                foreach (var file in files)
                {
                    path.Value = file.Path;
                    sha.Value = file.Sha256;
                    size.Value = file.SizeBytes;
                    await insertFile.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            transaction.Commit();
            return entry;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every version, or those of <paramref name="name"/>, ordered by name then version.</summary>
    public Task<IReadOnlyList<ModelEntry>> ListAsync(string? name = null, CancellationToken cancellationToken = default) =>
        WithConnectionAsync<IReadOnlyList<ModelEntry>>(async connection =>
        {
            using var query = Command(connection, null, $"SELECT {Columns} FROM models {(name is null ? string.Empty : "WHERE name = $name")} ORDER BY name, version");
            if (name is not null)
            {
                query.Parameters.AddWithValue("$name", name);
            }

            return await ReadEntriesAsync(connection, null, query, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// The model named by <paramref name="nameOrId"/>: an id (<c>mdl_...</c>); a name with <paramref name="version"/>;
    /// or a name alone, meaning its promoted version, else its newest version that is not archived.
    /// </summary>
    /// <exception cref="HanlinException"><c>model_not_found</c>.</exception>
    public Task<ModelEntry> GetAsync(string nameOrId, int? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrId);
        return WithConnectionAsync(connection => FindAsync(connection, null, nameOrId, version, cancellationToken), cancellationToken);
    }

    /// <summary>Re-hashes the model's directory and reports mismatching, missing and extra files.</summary>
    public async Task<ModelVerification> VerifyAsync(string nameOrId, int? version = null, CancellationToken cancellationToken = default)
    {
        var entry = await GetAsync(nameOrId, version, cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Re-hashes <paramref name="entry"/>'s directory and reports mismatching, missing and extra files.</summary>
    public static async Task<ModelVerification> VerifyAsync(ModelEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var onDisk = ModelDirectoryHasher.ListFiles(entry.Directory).ToHashSet(StringComparer.Ordinal);
        var problems = new List<ModelFileProblem>();
        foreach (var expected in entry.Files)
        {
            if (!onDisk.Remove(expected.Path))
            {
                problems.Add(new ModelFileProblem(expected.Path, ModelFileProblemKind.Missing, expected, null));
                continue;
            }

            var full = Path.Combine(entry.Directory, expected.Path.Replace('/', Path.DirectorySeparatorChar));
            var length = new FileInfo(full).Length;
            var actual = length != expected.SizeBytes
                ? new ModelFileChecksum(expected.Path, string.Empty, length) // a size change proves the mismatch without reading gigabytes
                : await ModelDirectoryHasher.HashFileAsync(entry.Directory, expected.Path, cancellationToken).ConfigureAwait(false);
            if (actual.SizeBytes != expected.SizeBytes || !string.Equals(actual.Sha256, expected.Sha256, StringComparison.Ordinal))
            {
                problems.Add(new ModelFileProblem(expected.Path, ModelFileProblemKind.Mismatch, expected, actual));
            }
        }

        foreach (var extra in onDisk)
        {
            problems.Add(new ModelFileProblem(extra, ModelFileProblemKind.Extra, null, null));
        }

        problems.Sort((a, b) => StringComparer.Ordinal.Compare(a.Path, b.Path));
        return new ModelVerification(entry, problems);
    }

    /// <summary>
    /// Makes the model the promoted version of its name (the previously promoted one becomes registered). Its files are
    /// verified first, so a damaged model is never promoted.
    /// </summary>
    /// <exception cref="HanlinException"><c>model_not_found</c>, <c>model_checksum_mismatch</c>.</exception>
    public async Task<ModelEntry> PromoteAsync(string nameOrId, int? version = null, CancellationToken cancellationToken = default)
    {
        var entry = await GetAsync(nameOrId, version, cancellationToken).ConfigureAwait(false);
        EnsureIntact(await VerifyAsync(entry, cancellationToken).ConfigureAwait(false));
        return await WithConnectionAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            await SetPromotedAsync(connection, transaction, entry, ModelStatus.Registered, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return entry with { Status = ModelStatus.Promoted };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Promotes the newest non-archived version of <paramref name="name"/> older than the promoted one; the version rolled
    /// back from becomes archived, so a second rollback goes one version further back. The target is verified first.
    /// </summary>
    /// <exception cref="HanlinException"><c>model_not_found</c>, <c>model_no_previous_version</c>, <c>model_checksum_mismatch</c>.</exception>
    public async Task<ModelEntry> RollbackAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var versions = await ListAsync(name, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            throw new HanlinException(ErrorCodes.ModelNotFound, $"There is no model named '{name}'.");
        }

        var current = versions.SingleOrDefault(v => v.Status == ModelStatus.Promoted)
            ?? throw new HanlinException(ErrorCodes.ModelNoPreviousVersion, $"No version of '{name}' is promoted, so there is nothing to roll back from.");
        var previous = versions.Where(v => v.Version < current.Version && v.Status != ModelStatus.Archived).MaxBy(v => v.Version)
            ?? throw new HanlinException(ErrorCodes.ModelNoPreviousVersion, $"'{name}' version {current.Version} is promoted and no earlier version that is not archived exists to roll back to.");
        EnsureIntact(await VerifyAsync(previous, cancellationToken).ConfigureAwait(false));
        return await WithConnectionAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            await SetPromotedAsync(connection, transaction, previous, ModelStatus.Archived, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return previous with { Status = ModelStatus.Promoted };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The model to load for <paramref name="nameOrId"/> (see <see cref="GetAsync"/>), after re-hashing every file: a model
    /// whose files changed is refused before a single byte of it is loaded.
    /// </summary>
    /// <exception cref="HanlinException"><c>model_not_found</c>; <c>model_checksum_mismatch</c> naming the files that differ.</exception>
    public async Task<ModelEntry> ResolveForLoadingAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        var entry = await GetAsync(nameOrId, null, cancellationToken).ConfigureAwait(false);
        EnsureIntact(await VerifyAsync(entry, cancellationToken).ConfigureAwait(false));
        return entry;
    }

    private static void EnsureIntact(ModelVerification verification)
    {
        if (verification.IsIntact)
        {
            return;
        }

        var model = verification.Model;
        var shown = string.Join("; ", verification.Problems.Take(5));
        var more = verification.Problems.Count > 5 ? $"; and {verification.Problems.Count - 5} more" : string.Empty;
        throw new HanlinException(
            ErrorCodes.ModelChecksumMismatch,
            $"The files of model '{model.Name}' version {model.Version} ({model.Id}) in '{model.Directory}' no longer match their registered checksums: {shown}{more}. Restore the files or register the directory again.");
    }

    private static async Task SetPromotedAsync(SqliteConnection connection, SqliteTransaction transaction, ModelEntry entry, ModelStatus formerStatus, CancellationToken cancellationToken)
    {
        using (var demote = Command(connection, transaction, "UPDATE models SET status = $former WHERE name = $name AND status = 'promoted' AND id <> $id"))
        {
            demote.Parameters.AddWithValue("$former", Text(formerStatus));
            demote.Parameters.AddWithValue("$name", entry.Name);
            demote.Parameters.AddWithValue("$id", entry.Id);
            await demote.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using var promote = Command(connection, transaction, "UPDATE models SET status = 'promoted' WHERE id = $id");
        promote.Parameters.AddWithValue("$id", entry.Id);
        await promote.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ModelEntry> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, string nameOrId, int? version, CancellationToken cancellationToken)
    {
        if (nameOrId.StartsWith(IdPrefix + "_", StringComparison.Ordinal))
        {
            return await FindByIdAsync(connection, transaction, nameOrId, cancellationToken).ConfigureAwait(false)
                ?? throw new HanlinException(ErrorCodes.ModelNotFound, $"There is no model with id '{nameOrId}'.");
        }

        // Promoted first, then the newest version that is not archived.
        var sql = version is null
            ? $"SELECT {Columns} FROM models WHERE name = $name AND status <> 'archived' ORDER BY status = 'promoted' DESC, version DESC LIMIT 1"
            : $"SELECT {Columns} FROM models WHERE name = $name AND version = $version";
        using var query = Command(connection, transaction, sql);
        query.Parameters.AddWithValue("$name", nameOrId);
        if (version is not null)
        {
            query.Parameters.AddWithValue("$version", version.Value);
        }

        var found = await ReadEntriesAsync(connection, transaction, query, cancellationToken).ConfigureAwait(false);
        return found.Count > 0
            ? found[0]
            : throw new HanlinException(ErrorCodes.ModelNotFound, version is null
                ? $"There is no model named '{nameOrId}' (or every version of it is archived; name one by id or version)."
                : $"There is no version {version} of the model '{nameOrId}'.");
    }

    private static async Task<ModelEntry?> FindByIdAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        using var query = Command(connection, transaction, $"SELECT {Columns} FROM models WHERE id = $id");
        query.Parameters.AddWithValue("$id", id);
        var found = await ReadEntriesAsync(connection, transaction, query, cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    private static async Task<List<ModelEntry>> ReadEntriesAsync(SqliteConnection connection, SqliteTransaction? transaction, SqliteCommand query, CancellationToken cancellationToken)
    {
        var entries = new List<ModelEntry>();
        using (var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new ModelEntry(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetInt32(2),
                    ParseKind(reader.GetString(3)),
                    reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9),
                    ParseStatus(reader.GetString(10)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)),
                    []));
            }
        }

        using var files = Command(connection, transaction, "SELECT path, sha256, size_bytes FROM model_files WHERE model_id = $id ORDER BY path");
        var id = files.Parameters.Add("$id", SqliteType.Text);
        for (var i = 0; i < entries.Count; i++)
        {
            id.Value = entries[i].Id;
            var list = new List<ModelFileChecksum>();
            using (var reader = await files.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(new ModelFileChecksum(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                }
            }

            // SQLite orders by its BINARY collation, i.e. UTF-8 bytes; re-sort to the ordinal (UTF-16) order used everywhere else.
            list.Sort((a, b) => StringComparer.Ordinal.Compare(a.Path, b.Path));
            entries[i] = entries[i] with { Files = list };
        }

        return entries;
    }

    private Task<T> WithConnectionAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken) =>
        _database.WithConnectionAsync(work, cancellationToken);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql) =>
        SqliteModuleDatabase.Command(connection, transaction, sql);

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128 || name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            || name.StartsWith(IdPrefix + "_", StringComparison.Ordinal))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"'{name}' is not a usable model name: 1 to 128 characters without spaces or control characters, not starting with '{IdPrefix}_'.");
        }
    }

    private static void ValidateJson(string? json, string what)
    {
        if (json is null)
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"The {what} must be a JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The {what} are not valid JSON: {ex.Message}", ex);
        }
    }

    private static string Text(ModelKind kind) => kind switch
    {
        ModelKind.BaseModel => "base_model",
        ModelKind.Adapter => "adapter",
        _ => "merged",
    };

    private static string Text(ModelStatus status) => status switch
    {
        ModelStatus.Registered => "registered",
        ModelStatus.Promoted => "promoted",
        _ => "archived",
    };

    private static ModelKind ParseKind(string text) => text switch
    {
        "base_model" => ModelKind.BaseModel,
        "adapter" => ModelKind.Adapter,
        "merged" => ModelKind.Merged,
        _ => throw new HanlinException(ErrorCodes.StorageCorrupt, $"Unknown model kind '{text}' in the model registry."),
    };

    private static ModelStatus ParseStatus(string text) => text switch
    {
        "registered" => ModelStatus.Registered,
        "promoted" => ModelStatus.Promoted,
        "archived" => ModelStatus.Archived,
        _ => throw new HanlinException(ErrorCodes.StorageCorrupt, $"Unknown model status '{text}' in the model registry."),
    };
}
