using System.Runtime.CompilerServices;
using Hanlin.Core.Collections;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Core.Identity;
using Hanlin.Core.Ingestion;
using Hanlin.Core.Storage;
using Hanlin.Storage.Blobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SQLitePCL;

namespace Hanlin.Storage.Sqlite;

/// <summary>
/// The embedded <see cref="IKnowledgeStore"/>: one SQLite file in WAL mode (<c>&lt;data&gt;/hanlin.db</c>).
/// </summary>
/// <remarks>
/// Thread-safe. Every call opens its own pooled connection, so reads run concurrently with each other and
/// with a write (WAL readers see the last committed state). Writes inside this process are serialised by an
/// async single-writer gate, because SQLite admits one writer at a time anyway and waiting on a semaphore is
/// cheaper and fairer than spinning on <c>SQLITE_BUSY</c>; the busy timeout only covers other processes.
/// Write transactions start <c>IMMEDIATE</c>, so they never fail half-way on a lock upgrade.
/// <see cref="InitializeAsync"/> must complete before any other call.
/// </remarks>
public sealed class SqliteKnowledgeStore : IKnowledgeStore
{
    private const int BusyTimeoutMilliseconds = 10_000;

    private const string InsertChunkSql = """
        INSERT INTO chunks (id, collection_id, document_id, version_id, ordinal, text, section_path, page_start, page_end,
                            char_start, char_end, token_count, content_hash, simhash, kind)
        VALUES ($id, $collectionId, $documentId, $versionId, $ordinal, $text, $sectionPath, $pageStart, $pageEnd,
                $charStart, $charEnd, $tokenCount, $contentHash, $simhash, $kind)
        """;

    private static readonly object ConfiguredMarker = new();

    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configuredHandles = new();
    private readonly string _databasePath;
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>Creates a store over <see cref="HanlinDataDirectory.DatabasePath"/>; call <see cref="InitializeAsync"/> next.</summary>
    public SqliteKnowledgeStore(HanlinDataDirectory directory, ILogger<SqliteKnowledgeStore>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _databasePath = directory.DatabasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Path of the SQLite file.</summary>
    public string DatabasePath => _databasePath;

    /// <inheritdoc />
    /// <remarks>
    /// A running job is marked interrupted only when the process that owns it (see <see cref="JobOwner"/>) is gone,
    /// so opening the store from a second process (the CLI beside a live server) leaves live jobs alone.
    /// </remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_databasePath)!);
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                // WAL is a property of the file: set once, it persists for every later connection.
                using (var wal = Command(connection, "PRAGMA journal_mode = WAL"))
                {
                    var mode = Convert.ToString(await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) ?? "?";
                    if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                    {
                        StorageLog.NotWal(_logger, mode, _databasePath);
                    }
                }

                await SqliteSchema.MigrateAsync(connection, _databasePath, _logger, cancellationToken).ConfigureAwait(false);

                var dead = new List<string>();
                using (var running = Command(connection, "SELECT id, owner FROM ingestion_jobs WHERE status = 'running'"))
                {
                    var reader = await running.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            if (!JobOwner.IsAlive(reader.GetString(1)))
                            {
                                dead.Add(reader.GetString(0));
                            }
                        }
                    }
                }

                foreach (var jobId in dead)
                {
                    using var interrupt = Command(connection, """
                        UPDATE ingestion_jobs SET status = 'interrupted', finished_at = $now, current_file = NULL
                        WHERE id = $id AND status = 'running'
                        """);
                    interrupt.Parameters.AddWithValue("$now", NowMilliseconds());
                    interrupt.Parameters.AddWithValue("$id", jobId);
                    await interrupt.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (dead.Count > 0)
                {
                    StorageLog.JobsInterrupted(_logger, dead.Count);
                }
            }

            _initialized = true;
        }
        catch (SqliteException ex)
        {
            throw SqliteFailure.Wrap(ex, _databasePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.Internal, $"The database '{_databasePath}' cannot be created: {ex.Message}", ex);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // ---------------------------------------------------------------- collections

    /// <inheritdoc />
    /// <exception cref="HanlinException"><c>invalid_collection_name</c>, or <c>collection_exists</c> (names are case-insensitive).</exception>
    public Task<Collection> CreateCollectionAsync(string name, string? description, CancellationToken cancellationToken = default)
    {
        CollectionName.Validate(name);
        return WriteAsync(async (connection, transaction, ct) =>
        {
            var existing = await FindCollectionByNameAsync(connection, transaction, name, ct).ConfigureAwait(false);
            if (existing is not null)
            {
                throw new HanlinException(ErrorCodes.CollectionExists, $"A collection named '{existing.Name}' already exists.");
            }

            return await InsertCollectionAsync(connection, transaction, name, description, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Collection> GetOrCreateCollectionAsync(string name, CancellationToken cancellationToken = default)
    {
        CollectionName.Validate(name);
        return WriteAsync(async (connection, transaction, ct) =>
            await FindCollectionByNameAsync(connection, transaction, name, ct).ConfigureAwait(false)
            ?? await InsertCollectionAsync(connection, transaction, name, null, ct).ConfigureAwait(false),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>An id match wins over a name match; names match case-insensitively.</remarks>
    public Task<Collection?> GetCollectionAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        return ReadAsync((connection, ct) => FindCollectionAsync(connection, null, nameOrId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Collection?> FindCollectionAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        return ReadAsync((connection, ct) => FindCollectionAsync(connection, null, nameOrId, ct, counted: false), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Collection>> ListCollectionsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync((connection, ct) =>
        {
            var query = Command(connection, $"SELECT {SqliteRows.CollectionColumns} FROM collections c ORDER BY c.name");
            return ReadListAsync(query, SqliteRows.ReadCollection, ct);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Collection>> FindCollectionsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync((connection, ct) =>
        {
            var query = Command(connection, $"SELECT {SqliteRows.CollectionIdentityColumns} FROM collections c ORDER BY c.name");
            return ReadListAsync(query, SqliteRows.ReadCollectionIdentity, ct);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteCollectionAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        return WriteAsync(async (connection, transaction, ct) =>
        {
            var collection = await FindCollectionAsync(connection, transaction, nameOrId, ct, counted: false).ConfigureAwait(false);
            if (collection is null)
            {
                return false;
            }

            using var delete = Command(connection, "DELETE FROM collections WHERE id = $id", transaction);
            delete.Parameters.AddWithValue("$id", collection.Id);
            return await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    // ---------------------------------------------------------------- documents

    /// <inheritdoc />
    public Task<Document?> GetDocumentAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        return ReadAsync((connection, ct) => GetDocumentAsync(connection, null, documentId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Document?> FindDocumentBySourceAsync(string collectionId, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(sourceName);
        return ReadAsync((connection, ct) => FindDocumentBySourceAsync(connection, null, collectionId, sourceName, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Document?> FindDocumentByTextHashAsync(string collectionId, string textSha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(textSha256);
        return ReadAsync(async (connection, ct) =>
        {
            // Join on the document's primary key: the version is found by its hash index, the document by id.
            using var query = Command(connection, $"""
                SELECT {SqliteRows.DocumentColumns}
                FROM document_versions v JOIN documents d ON d.id = v.document_id AND d.current_version_id = v.id
                WHERE v.text_sha256 = $textSha256 AND d.collection_id = $collectionId
                ORDER BY d.created_at, d.id
                LIMIT 1
                """);
            query.Parameters.AddWithValue("$textSha256", textSha256);
            query.Parameters.AddWithValue("$collectionId", collectionId);
            return await ReadSingleAsync(query, SqliteRows.ReadDocument, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Document>> ListDocumentsAsync(string? collectionId, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, ct) =>
        {
            var query = Command(connection, collectionId is null
                ? $"SELECT {SqliteRows.DocumentColumns} FROM documents d ORDER BY d.collection_id, d.source_name"
                : $"SELECT {SqliteRows.DocumentColumns} FROM documents d WHERE d.collection_id = $collectionId ORDER BY d.source_name");
            if (collectionId is not null)
            {
                query.Parameters.AddWithValue("$collectionId", collectionId);
            }

            return ReadListAsync(query, SqliteRows.ReadDocument, ct);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentVersion>> ListVersionsAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        return ReadAsync((connection, ct) =>
        {
            var query = Command(connection, $"SELECT {SqliteRows.VersionColumns} FROM document_versions v WHERE v.document_id = $documentId ORDER BY v.version");
            query.Parameters.AddWithValue("$documentId", documentId);
            return ReadListAsync(query, SqliteRows.ReadVersion, ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The new version's number is the previous one plus one; its status is <see cref="DocumentStatus.NeedsOcr"/>
    /// when any page needs OCR, otherwise <see cref="DocumentStatus.Ready"/>; the last recorded error is cleared.
    /// Cancellation or a chunk that breaks a schema rule (duplicate ordinal, char range ending before it starts,
    /// ...) rolls the whole call back and leaves the previous version and its chunks as they were.
    /// </remarks>
    /// <exception cref="HanlinException"><c>collection_not_found</c>, or <c>invalid_argument</c> for bad input.</exception>
    public Task<SavedVersion> SaveVersionAsync(NewDocumentVersion version, CancellationToken cancellationToken = default)
    {
        Validate(version);
        return WriteAsync(async (connection, transaction, ct) =>
        {
            if (!await ExistsAsync(connection, transaction, "SELECT 1 FROM collections WHERE id = $id", version.CollectionId, ct).ConfigureAwait(false))
            {
                throw new HanlinException(ErrorCodes.CollectionNotFound, $"Collection '{version.CollectionId}' does not exist, so '{version.SourceName}' cannot be stored in it.");
            }

            var previous = await FindDocumentBySourceAsync(connection, transaction, version.CollectionId, version.SourceName, ct).ConfigureAwait(false);
            var now = NowMilliseconds();
            var pages = version.PagesNeedingOcr.ToArray();
            var document = new Document(
                previous?.Id ?? HanlinId.New(HanlinId.DocumentPrefix),
                version.CollectionId,
                version.SourceName,
                version.MediaType,
                version.SizeBytes,
                version.Sha256,
                (previous?.Version ?? 0) + 1,
                HanlinId.New(HanlinId.VersionPrefix),
                pages.Length > 0 ? DocumentStatus.NeedsOcr : DocumentStatus.Ready,
                version.Chunks.Count,
                version.PageCount,
                version.Title,
                null,
                null,
                previous?.CreatedAt ?? SqliteRows.Time(now),
                SqliteRows.Time(now));
            var stored = new DocumentVersion(
                document.CurrentVersionId,
                document.Id,
                document.Version,
                version.MediaType,
                version.SizeBytes,
                version.Sha256,
                version.TextSha256,
                version.TextLength,
                version.PageCount,
                pages,
                version.Chunks.Count,
                SqliteRows.Time(now));

            await UpsertDocumentAsync(connection, transaction, document, isNew: previous is null, ct).ConfigureAwait(false);
            await InsertVersionAsync(connection, transaction, stored, ct).ConfigureAwait(false);

            using (var purge = Command(connection, "DELETE FROM chunks WHERE document_id = $documentId", transaction))
            {
                purge.Parameters.AddWithValue("$documentId", document.Id);
                await purge.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            var chunks = await InsertChunksAsync(connection, transaction, document, version.Chunks, ct).ConfigureAwait(false);
            return new SavedVersion(document, stored, chunks);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="HanlinException"><c>document_not_found</c>.</exception>
    public Task RecordDocumentErrorAsync(string documentId, string errorCode, string errorMessage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(errorCode);
        ArgumentNullException.ThrowIfNull(errorMessage);
        return WriteAsync(async (connection, transaction, ct) =>
        {
            using var update = Command(connection, """
                UPDATE documents SET last_error_code = $code, last_error_message = $message, updated_at = $now
                WHERE id = $id
                """, transaction);
            update.Parameters.AddWithValue("$code", errorCode);
            update.Parameters.AddWithValue("$message", errorMessage);
            update.Parameters.AddWithValue("$now", NowMilliseconds());
            update.Parameters.AddWithValue("$id", documentId);
            if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
            {
                throw new HanlinException(ErrorCodes.DocumentNotFound, $"Document '{documentId}' does not exist.");
            }

            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        return WriteAsync(async (connection, transaction, ct) =>
        {
            using var delete = Command(connection, "DELETE FROM documents WHERE id = $id", transaction);
            delete.Parameters.AddWithValue("$id", documentId);
            return await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    // ---------------------------------------------------------------- chunks

    /// <inheritdoc />
    public Task<IReadOnlyList<Chunk>> GetChunksAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        return ReadAsync((connection, ct) =>
        {
            var query = Command(connection, $"SELECT {SqliteRows.ChunkColumns} FROM chunks k WHERE k.document_id = $documentId ORDER BY k.ordinal");
            query.Parameters.AddWithValue("$documentId", documentId);
            return ReadListAsync(query, SqliteRows.ReadChunk, ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(Chunk Chunk, Document Document)>> GetChunksWithDocumentsAsync(IReadOnlyList<string> chunkIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunkIds);
        if (chunkIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<(Chunk, Document)>>([]);
        }

        return ReadAsync<IReadOnlyList<(Chunk, Document)>>(async (connection, ct) =>
        {
            // One statement for all hits (chunk joined with its document): a search's 10-100 hits would otherwise cost a
            // connection and two statements each.
            var ids = chunkIds.Distinct(StringComparer.Ordinal).ToList();
            using var query = Command(connection, $"SELECT {SqliteRows.ChunkColumns}, {SqliteRows.DocumentColumns} FROM chunks k JOIN documents d ON d.id = k.document_id WHERE k.id IN ({Placeholders("$c", ids.Count)})");
            for (var i = 0; i < ids.Count; i++)
            {
                query.Parameters.AddWithValue($"$c{i}", ids[i]);
            }

            var rows = await ReadListAsync(query, r => (Chunk: SqliteRows.ReadChunk(r), Document: SqliteRows.ReadDocument(r, SqliteRows.ChunkColumnCount)), ct).ConfigureAwait(false);
            var found = rows.ToDictionary(row => row.Chunk.Id, StringComparer.Ordinal);
            var result = new List<(Chunk, Document)>(chunkIds.Count);
            foreach (var id in chunkIds)
            {
                if (found.TryGetValue(id, out var row))
                {
                    result.Add(row);
                }
            }

            return result;
        }, cancellationToken);

        static string Placeholders(string prefix, int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => $"{prefix}{i}"));
    }

    /// <inheritdoc />
    public Task<Chunk?> GetChunkAsync(string chunkId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunkId);
        return ReadAsync(async (connection, ct) =>
        {
            using var query = Command(connection, $"SELECT {SqliteRows.ChunkColumns} FROM chunks k WHERE k.id = $id");
            query.Parameters.AddWithValue("$id", chunkId);
            return await ReadSingleAsync(query, SqliteRows.ReadChunk, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ChunkFingerprint>> ListFingerprintsAsync(string collectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        return ReadAsync((connection, ct) =>
        {
            // Served from the covering index ix_chunks_fingerprints without touching chunk text.
            var query = Command(connection, "SELECT id, document_id, simhash FROM chunks WHERE collection_id = $collectionId");
            query.Parameters.AddWithValue("$collectionId", collectionId);
            return ReadListAsync(query, r => new ChunkFingerprint(r.GetString(0), r.GetString(1), unchecked((ulong)r.GetInt64(2))), ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> ListReferencedBlobsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlySet<string>>(async (connection, ct) =>
        {
            using var query = Command(connection, "SELECT sha256 FROM document_versions UNION SELECT text_sha256 FROM document_versions");
            var hashes = new HashSet<string>(StringComparer.Ordinal);
            var reader = await query.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    hashes.Add(reader.GetString(0));
                }
            }

            return hashes;
        }, cancellationToken);

    // ---------------------------------------------------------------- jobs

    /// <inheritdoc />
    /// <exception cref="HanlinException"><c>collection_not_found</c>.</exception>
    public Task<IngestionJob> CreateJobAsync(string collectionId, int totalFiles, long totalBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentOutOfRangeException.ThrowIfNegative(totalFiles);
        ArgumentOutOfRangeException.ThrowIfNegative(totalBytes);
        return WriteAsync(async (connection, transaction, ct) =>
        {
            if (!await ExistsAsync(connection, transaction, "SELECT 1 FROM collections WHERE id = $id", collectionId, ct).ConfigureAwait(false))
            {
                throw new HanlinException(ErrorCodes.CollectionNotFound, $"Collection '{collectionId}' does not exist, so no ingestion job can run in it.");
            }

            var now = NowMilliseconds();
            var job = new IngestionJob(HanlinId.New(HanlinId.JobPrefix), collectionId, IngestionJobStatus.Running, totalFiles, 0, totalBytes, 0, null, SqliteRows.Time(now), null);
            using var insert = Command(connection, """
                INSERT INTO ingestion_jobs (id, collection_id, status, total_files, total_bytes, owner, created_at)
                VALUES ($id, $collectionId, $status, $totalFiles, $totalBytes, $owner, $createdAt)
                """, transaction);
            insert.Parameters.AddWithValue("$owner", JobOwner.Current);
            insert.Parameters.AddWithValue("$id", job.Id);
            insert.Parameters.AddWithValue("$collectionId", collectionId);
            insert.Parameters.AddWithValue("$status", SqliteEnumText.From(job.Status));
            insert.Parameters.AddWithValue("$totalFiles", totalFiles);
            insert.Parameters.AddWithValue("$totalBytes", totalBytes);
            insert.Parameters.AddWithValue("$createdAt", now);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return job;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="HanlinException"><c>job_not_found</c>.</exception>
    public Task UpdateJobProgressAsync(string jobId, int doneFiles, long doneBytes, string? currentFile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentOutOfRangeException.ThrowIfNegative(doneFiles);
        ArgumentOutOfRangeException.ThrowIfNegative(doneBytes);
        return WriteAsync(async (connection, transaction, ct) =>
        {
            using var update = Command(connection, """
                UPDATE ingestion_jobs SET done_files = $doneFiles, done_bytes = $doneBytes, current_file = $currentFile
                WHERE id = $id
                """, transaction);
            update.Parameters.AddWithValue("$doneFiles", doneFiles);
            update.Parameters.AddWithValue("$doneBytes", doneBytes);
            update.Parameters.AddWithValue("$currentFile", (object?)currentFile ?? DBNull.Value);
            update.Parameters.AddWithValue("$id", jobId);
            return await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0
                ? true
                : throw JobNotFound(jobId);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="HanlinException"><c>job_not_found</c>.</exception>
    public Task AddFileResultAsync(string jobId, FileResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(result);
        return WriteAsync(async (connection, transaction, ct) =>
        {
            if (!await ExistsAsync(connection, transaction, "SELECT 1 FROM ingestion_jobs WHERE id = $id", jobId, ct).ConfigureAwait(false))
            {
                throw JobNotFound(jobId);
            }

            using var insert = Command(connection, """
                INSERT INTO job_file_results (job_id, path, outcome, document_id, version, media_type, size_bytes, chunks,
                                              dropped_chunks, pages_needing_ocr, error_code, error_message)
                VALUES ($jobId, $path, $outcome, $documentId, $version, $mediaType, $sizeBytes, $chunks,
                        $droppedChunks, $pagesNeedingOcr, $errorCode, $errorMessage)
                """, transaction);
            insert.Parameters.AddWithValue("$jobId", jobId);
            insert.Parameters.AddWithValue("$path", result.Path);
            insert.Parameters.AddWithValue("$outcome", SqliteEnumText.From(result.Outcome));
            insert.Parameters.AddWithValue("$documentId", (object?)result.DocumentId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$version", (object?)result.Version ?? DBNull.Value);
            insert.Parameters.AddWithValue("$mediaType", (object?)result.MediaType ?? DBNull.Value);
            insert.Parameters.AddWithValue("$sizeBytes", result.SizeBytes);
            insert.Parameters.AddWithValue("$chunks", result.Chunks);
            insert.Parameters.AddWithValue("$droppedChunks", SqliteRows.DroppedToJson(result.DroppedChunks ?? []));
            insert.Parameters.AddWithValue("$pagesNeedingOcr", SqliteRows.PagesToJson(result.PagesNeedingOcr ?? []));
            insert.Parameters.AddWithValue("$errorCode", (object?)result.ErrorCode ?? DBNull.Value);
            insert.Parameters.AddWithValue("$errorMessage", (object?)result.ErrorMessage ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="HanlinException"><c>job_not_found</c>; <c>invalid_argument</c> when finishing as <c>Running</c>.</exception>
    public Task<IngestionJob> FinishJobAsync(string jobId, IngestionJobStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (status == IngestionJobStatus.Running)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Job '{jobId}' cannot finish with status Running.");
        }

        var statusText = SqliteEnumText.From(status);
        return WriteAsync(async (connection, transaction, ct) =>
        {
            using (var update = Command(connection, """
                UPDATE ingestion_jobs SET status = $status, finished_at = $now, current_file = NULL
                WHERE id = $id
                """, transaction))
            {
                update.Parameters.AddWithValue("$status", statusText);
                update.Parameters.AddWithValue("$now", NowMilliseconds());
                update.Parameters.AddWithValue("$id", jobId);
                if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
                {
                    throw JobNotFound(jobId);
                }
            }

            return await GetJobAsync(connection, transaction, jobId, ct).ConfigureAwait(false) ?? throw JobNotFound(jobId);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IngestionJob?> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return ReadAsync((connection, ct) => GetJobAsync(connection, null, jobId, ct), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Newest first; jobs created in the same millisecond by insertion order (rowid), since v7 ids are not monotonic within a millisecond.</remarks>
    public Task<IReadOnlyList<IngestionJob>> ListJobsAsync(string? collectionId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync((connection, ct) =>
        {
            var query = Command(connection, collectionId is null
                ? $"SELECT {SqliteRows.JobColumns} FROM ingestion_jobs j ORDER BY j.created_at DESC, j.rowid DESC LIMIT $limit"
                : $"SELECT {SqliteRows.JobColumns} FROM ingestion_jobs j WHERE j.collection_id = $collectionId ORDER BY j.created_at DESC, j.rowid DESC LIMIT $limit");
            query.Parameters.AddWithValue("$limit", limit);
            if (collectionId is not null)
            {
                query.Parameters.AddWithValue("$collectionId", collectionId);
            }

            return ReadListAsync(query, SqliteRows.ReadJob, ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>In the order they were added; empty for an unknown job.</remarks>
    public Task<IReadOnlyList<FileResult>> GetFileResultsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return ReadAsync((connection, ct) =>
        {
            var query = Command(connection, $"SELECT {SqliteRows.FileResultColumns} FROM job_file_results r WHERE r.job_id = $jobId ORDER BY r.id");
            query.Parameters.AddWithValue("$jobId", jobId);
            return ReadListAsync(query, SqliteRows.ReadFileResult, ct);
        }, cancellationToken);
    }

    /// <summary>Closes the pooled connections so the database files are released (and the WAL checkpointed).</summary>
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }

        return ValueTask.CompletedTask;
    }

    // ---------------------------------------------------------------- plumbing

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static async Task<IReadOnlyList<T>> ReadListAsync<T>(SqliteCommand query, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        using (query)
        {
            var items = new List<T>();
            var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    items.Add(read(reader));
                }
            }

            return items;
        }
    }

    private static async Task<T?> ReadSingleAsync<T>(SqliteCommand query, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
        }
    }

    private static async Task<bool> ExistsAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string id, CancellationToken cancellationToken)
    {
        using var query = Command(connection, sql, transaction);
        query.Parameters.AddWithValue("$id", id);
        return await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static HanlinException JobNotFound(string jobId) => new(ErrorCodes.JobNotFound, $"Ingestion job '{jobId}' does not exist.");

    private static void Validate(NewDocumentVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (string.IsNullOrWhiteSpace(version.CollectionId) || string.IsNullOrWhiteSpace(version.SourceName) || string.IsNullOrWhiteSpace(version.MediaType))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"A document version needs a collection id, a source name and a media type (got '{version.CollectionId}', '{version.SourceName}', '{version.MediaType}').");
        }

        Sha256Hex.Validate(version.Sha256, $"sha256 of '{version.SourceName}'");
        Sha256Hex.Validate(version.TextSha256, $"text sha256 of '{version.SourceName}'");
        if (version.SizeBytes < 0 || version.TextLength < 0 || version.PageCount < 0)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"'{version.SourceName}' has a negative size, text length or page count.");
        }

        if (version.PagesNeedingOcr is null || version.Chunks is null)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"'{version.SourceName}' has no page list or no chunk list.");
        }
    }

    private long NowMilliseconds() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private void EnsureUsable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException($"{nameof(SqliteKnowledgeStore)}.{nameof(InitializeAsync)} must complete before the store is used.");
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Per-connection settings (foreign_keys comes from the connection string). NORMAL is durable in WAL mode
            // except for the last commits before a power loss, and never corrupts. They stay with the native handle,
            // which the connection pool reuses, so each handle is configured once, not on every open.
            if (connection.Handle is { } handle && _configuredHandles.TryGetValue(handle, out _))
            {
                return connection;
            }

            using var pragmas = Command(connection, $"PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = {BusyTimeoutMilliseconds};");
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (connection.Handle is { } configured)
            {
                _configuredHandles.AddOrUpdate(configured, ConfiguredMarker);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        EnsureUsable();
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await body(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SqliteException ex)
        {
            throw SqliteFailure.Wrap(ex, _databasePath);
        }
    }

    /// <summary>Runs <paramref name="body"/> in one IMMEDIATE transaction under the write gate; commits unless it throws.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        EnsureUsable();
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                var result = await body(connection, transaction, cancellationToken).ConfigureAwait(false);

                // Not cancellable: once the body has run, the caller gets either all of it or (on an I/O error) none.
                transaction.Commit();
                return result;
            }
        }
        catch (SqliteException ex)
        {
            throw SqliteFailure.Wrap(ex, _databasePath);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // Without counting, the row alone is read: the counts sum over every document of the collection.
    private static async Task<Collection?> FindCollectionAsync(SqliteConnection connection, SqliteTransaction? transaction, string nameOrId, CancellationToken cancellationToken, bool counted = true)
    {
        using var query = Command(connection, $"""
            SELECT {(counted ? SqliteRows.CollectionColumns : SqliteRows.CollectionIdentityColumns)} FROM collections c
            WHERE c.id = $value OR c.name = $value
            ORDER BY c.id = $value DESC
            LIMIT 1
            """, transaction);
        query.Parameters.AddWithValue("$value", nameOrId);
        return await ReadSingleAsync<Collection>(query, counted ? SqliteRows.ReadCollection : SqliteRows.ReadCollectionIdentity, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Collection?> FindCollectionByNameAsync(SqliteConnection connection, SqliteTransaction transaction, string name, CancellationToken cancellationToken)
    {
        using var query = Command(connection, $"SELECT {SqliteRows.CollectionColumns} FROM collections c WHERE c.name = $name", transaction);
        query.Parameters.AddWithValue("$name", name);
        return await ReadSingleAsync(query, SqliteRows.ReadCollection, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Collection> InsertCollectionAsync(SqliteConnection connection, SqliteTransaction transaction, string name, string? description, CancellationToken cancellationToken)
    {
        var now = NowMilliseconds();
        var collection = new Collection(HanlinId.New(HanlinId.CollectionPrefix), name, description, SqliteRows.Time(now));
        using var insert = Command(connection, "INSERT INTO collections (id, name, description, created_at) VALUES ($id, $name, $description, $createdAt)", transaction);
        insert.Parameters.AddWithValue("$id", collection.Id);
        insert.Parameters.AddWithValue("$name", name);
        insert.Parameters.AddWithValue("$description", (object?)description ?? DBNull.Value);
        insert.Parameters.AddWithValue("$createdAt", now);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return collection;
    }

    private static async Task<Document?> GetDocumentAsync(SqliteConnection connection, SqliteTransaction? transaction, string documentId, CancellationToken cancellationToken)
    {
        using var query = Command(connection, $"SELECT {SqliteRows.DocumentColumns} FROM documents d WHERE d.id = $id", transaction);
        query.Parameters.AddWithValue("$id", documentId);
        return await ReadSingleAsync(query, SqliteRows.ReadDocument, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document?> FindDocumentBySourceAsync(SqliteConnection connection, SqliteTransaction? transaction, string collectionId, string sourceName, CancellationToken cancellationToken)
    {
        using var query = Command(connection, $"SELECT {SqliteRows.DocumentColumns} FROM documents d WHERE d.collection_id = $collectionId AND d.source_name = $sourceName", transaction);
        query.Parameters.AddWithValue("$collectionId", collectionId);
        query.Parameters.AddWithValue("$sourceName", sourceName);
        return await ReadSingleAsync(query, SqliteRows.ReadDocument, cancellationToken).ConfigureAwait(false);
    }

    private static async Task UpsertDocumentAsync(SqliteConnection connection, SqliteTransaction transaction, Document document, bool isNew, CancellationToken cancellationToken)
    {
        using var command = Command(connection, isNew
            ? """
              INSERT INTO documents (id, collection_id, source_name, media_type, size_bytes, sha256, version, current_version_id,
                                     status, chunk_count, page_count, title, last_error_code, last_error_message, created_at, updated_at)
              VALUES ($id, $collectionId, $sourceName, $mediaType, $sizeBytes, $sha256, $version, $currentVersionId,
                      $status, $chunkCount, $pageCount, $title, NULL, NULL, $createdAt, $updatedAt)
              """
            : """
              UPDATE documents SET media_type = $mediaType, size_bytes = $sizeBytes, sha256 = $sha256, version = $version,
                                   current_version_id = $currentVersionId, status = $status, chunk_count = $chunkCount,
                                   page_count = $pageCount, title = $title, last_error_code = NULL, last_error_message = NULL,
                                   updated_at = $updatedAt
              WHERE id = $id
              """, transaction);
        var p = command.Parameters;
        p.AddWithValue("$id", document.Id);
        p.AddWithValue("$mediaType", document.MediaType);
        p.AddWithValue("$sizeBytes", document.SizeBytes);
        p.AddWithValue("$sha256", document.Sha256);
        p.AddWithValue("$version", document.Version);
        p.AddWithValue("$currentVersionId", document.CurrentVersionId);
        p.AddWithValue("$status", SqliteEnumText.From(document.Status));
        p.AddWithValue("$chunkCount", document.ChunkCount);
        p.AddWithValue("$pageCount", (object?)document.PageCount ?? DBNull.Value);
        p.AddWithValue("$title", (object?)document.Title ?? DBNull.Value);
        p.AddWithValue("$updatedAt", document.UpdatedAt.ToUnixTimeMilliseconds());
        if (isNew)
        {
            p.AddWithValue("$collectionId", document.CollectionId);
            p.AddWithValue("$sourceName", document.SourceName);
            p.AddWithValue("$createdAt", document.CreatedAt.ToUnixTimeMilliseconds());
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task InsertVersionAsync(SqliteConnection connection, SqliteTransaction transaction, DocumentVersion version, CancellationToken cancellationToken)
    {
        using var insert = Command(connection, """
            INSERT INTO document_versions (id, document_id, version, media_type, size_bytes, sha256, text_sha256, text_length,
                                           page_count, pages_needing_ocr, chunk_count, created_at)
            VALUES ($id, $documentId, $version, $mediaType, $sizeBytes, $sha256, $textSha256, $textLength,
                    $pageCount, $pagesNeedingOcr, $chunkCount, $createdAt)
            """, transaction);
        var p = insert.Parameters;
        p.AddWithValue("$id", version.Id);
        p.AddWithValue("$documentId", version.DocumentId);
        p.AddWithValue("$version", version.Version);
        p.AddWithValue("$mediaType", version.MediaType);
        p.AddWithValue("$sizeBytes", version.SizeBytes);
        p.AddWithValue("$sha256", version.Sha256);
        p.AddWithValue("$textSha256", version.TextSha256);
        p.AddWithValue("$textLength", version.TextLength);
        p.AddWithValue("$pageCount", (object?)version.PageCount ?? DBNull.Value);
        p.AddWithValue("$pagesNeedingOcr", SqliteRows.PagesToJson(version.PagesNeedingOcr));
        p.AddWithValue("$chunkCount", version.ChunkCount);
        p.AddWithValue("$createdAt", version.CreatedAt.ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One prepared statement, parameters rebound per chunk: the hot path of ingestion. Returns the stored chunks
    /// in ordinal order, as reading them back would.
    /// </summary>
    private static async Task<IReadOnlyList<Chunk>> InsertChunksAsync(SqliteConnection connection, SqliteTransaction transaction, Document document, IReadOnlyList<ChunkDraft> chunks, CancellationToken cancellationToken)
    {
        var stored = new List<Chunk>(chunks.Count);
        using var insert = Command(connection, InsertChunkSql, transaction);
        var p = insert.Parameters;
        var id = p.Add("$id", SqliteType.Text);
        p.AddWithValue("$collectionId", document.CollectionId);
        p.AddWithValue("$documentId", document.Id);
        p.AddWithValue("$versionId", document.CurrentVersionId);
        var ordinal = p.Add("$ordinal", SqliteType.Integer);
        var text = p.Add("$text", SqliteType.Text);
        var sectionPath = p.Add("$sectionPath", SqliteType.Text);
        var pageStart = p.Add("$pageStart", SqliteType.Integer);
        var pageEnd = p.Add("$pageEnd", SqliteType.Integer);
        var charStart = p.Add("$charStart", SqliteType.Integer);
        var charEnd = p.Add("$charEnd", SqliteType.Integer);
        var tokenCount = p.Add("$tokenCount", SqliteType.Integer);
        var contentHash = p.Add("$contentHash", SqliteType.Text);
        var simhash = p.Add("$simhash", SqliteType.Integer);
        var kind = p.Add("$kind", SqliteType.Text);
        insert.Prepare();

        // Chunks are enumerated once, here: validation happens row by row and any failure rolls the transaction back.
        foreach (var chunk in chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (chunk is null)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"'{document.SourceName}' has a null chunk; the document was left at its previous version.");
            }

            var chunkId = HanlinId.New(HanlinId.ChunkPrefix);
            id.Value = chunkId;
            ordinal.Value = chunk.Ordinal;
            text.Value = (object?)chunk.Text ?? DBNull.Value;
            sectionPath.Value = (object?)chunk.SectionPath ?? DBNull.Value;
            pageStart.Value = (object?)chunk.PageStart ?? DBNull.Value;
            pageEnd.Value = (object?)chunk.PageEnd ?? DBNull.Value;
            charStart.Value = chunk.CharStart;
            charEnd.Value = chunk.CharEnd;
            tokenCount.Value = chunk.TokenCount;
            contentHash.Value = (object?)chunk.ContentHash ?? DBNull.Value;
            simhash.Value = unchecked((long)chunk.SimHash);
            kind.Value = SqliteEnumText.From(chunk.Kind);
            try
            {
                // Synchronous on purpose: Microsoft.Data.Sqlite's async methods complete synchronously anyway;
                // this saves a Task per row in the hottest loop of ingestion.
                insert.ExecuteNonQuery();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == raw.SQLITE_CONSTRAINT)
            {
                throw new HanlinException(
                    ErrorCodes.InvalidArgument,
                    $"Chunk {chunk.Ordinal} of '{document.SourceName}' cannot be stored ({ex.Message}); the document was left at its previous version.",
                    ex);
            }

            // The NOT NULL columns have rejected a null text, section path or hash by now.
            stored.Add(new Chunk(
                chunkId,
                document.Id,
                document.CurrentVersionId,
                chunk.Ordinal,
                chunk.Text!,
                chunk.SectionPath!,
                chunk.PageStart,
                chunk.PageEnd,
                chunk.CharStart,
                chunk.CharEnd,
                chunk.TokenCount,
                chunk.ContentHash!,
                chunk.SimHash,
                chunk.Kind));
        }

        stored.Sort((a, b) => a.Ordinal.CompareTo(b.Ordinal));
        return stored;
    }

    private static async Task<IngestionJob?> GetJobAsync(SqliteConnection connection, SqliteTransaction? transaction, string jobId, CancellationToken cancellationToken)
    {
        using var query = Command(connection, $"SELECT {SqliteRows.JobColumns} FROM ingestion_jobs j WHERE j.id = $id", transaction);
        query.Parameters.AddWithValue("$id", jobId);
        return await ReadSingleAsync(query, SqliteRows.ReadJob, cancellationToken).ConfigureAwait(false);
    }
}
