using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hanlin.Core.Errors;
using Hanlin.Training.Persistence;
using Microsoft.Data.Sqlite;

namespace Hanlin.Training.Jobs;

/// <summary>
/// Fine-tuning files, jobs, their events and checkpoints, in the SQLite file <c>finetune.db</c> of the data directory
/// (uploaded files under <c>finetune/files</c>, job run directories under <c>finetune/jobs</c>). The HTTP API and the
/// CLI share it, so a job started by either is visible to both.
/// </summary>
/// <remarks>
/// A database of its own, like the model registry: jobs belong to the model layer, not to a knowledge base's schema.
/// Every status change is one conditional UPDATE, so two processes can never both move a job (a second runner that
/// lost the race sees zero rows changed). Ids are <c>file-</c>, <c>ftjob-</c>, <c>ftevent-</c> and <c>ftckpt-</c>
/// followed by a version-7 GUID or a sequence number. Listings are ordered by SQLite's rowid (insertion order; rows
/// of jobs and checkpoints are never deleted), not by id: version-7 GUIDs made within one millisecond are not ordered,
/// and paging needs a strict creation order behind its <c>after</c> cursor.
/// </remarks>
public sealed partial class FineTuneStore
{
    /// <summary>The store's database file name inside the data directory.</summary>
    public const string FileName = "finetune.db";

    /// <summary>The only purpose Hanlin accepts for uploaded files.</summary>
    public const string FineTunePurpose = "fine-tune";

    private const string JobColumns = "id, model, training_file, validation_file, suffix, seed, hyperparameters, status, error_code, error_message, fine_tuned_model, trained_tokens, cancel_requested, created_at, started_at, finished_at";

    private readonly SqliteModuleDatabase _database;

    /// <summary>Opens (creating on first use) the store at <paramref name="databasePath"/>, files and runs under <paramref name="root"/>.</summary>
    public FineTuneStore(string databasePath, string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        DatabasePath = Path.GetFullPath(databasePath);
        FilesDirectory = Path.Combine(Path.GetFullPath(root), "files");
        JobsDirectory = Path.Combine(Path.GetFullPath(root), "jobs");
        _database = new SqliteModuleDatabase(DatabasePath, "fine-tuning store", FineTuneSchema.Version, FineTuneSchema.Version1, pooling: true, writeAheadLog: true);
    }

    /// <summary>Absolute path of the database.</summary>
    public string DatabasePath { get; }

    /// <summary>Where uploaded files are kept.</summary>
    public string FilesDirectory { get; }

    /// <summary>Where each job's run directory (checkpoints, metrics, the trained adapter) is created.</summary>
    public string JobsDirectory { get; }

    /// <summary>The store of the data directory <paramref name="dataDirectoryRoot"/>.</summary>
    public static FineTuneStore ForDataDirectory(string dataDirectoryRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectoryRoot);
        return new FineTuneStore(Path.Combine(dataDirectoryRoot, FileName), Path.Combine(dataDirectoryRoot, "finetune"));
    }

    /// <summary>The run directory of job <paramref name="jobId"/> (not created).</summary>
    public string RunDirectory(string jobId) => Path.Combine(JobsDirectory, jobId);

    /// <summary>
    /// Stores <paramref name="content"/> as a new file: written to a temporary name while hashed, then renamed, so a
    /// failed or cancelled upload leaves nothing behind.
    /// </summary>
    /// <exception cref="HanlinException">
    /// <c>invalid_argument</c> for a purpose other than <c>fine-tune</c> or a bad name, <c>empty_file</c>,
    /// <c>file_too_large</c> beyond <paramref name="maxBytes"/>.
    /// </exception>
    public async Task<FineTuneFile> AddFileAsync(Stream content, string fileName, string purpose, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!string.Equals(purpose, FineTunePurpose, StringComparison.Ordinal))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Files with purpose '{purpose}' are not accepted; Hanlin stores files with purpose '{FineTunePurpose}'.");
        }

        var name = Path.GetFileName(fileName ?? string.Empty);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255 || name.Any(char.IsControl))
        {
            throw new HanlinException(ErrorCodes.InvalidFileName, $"'{fileName}' is not a usable file name.");
        }

        var id = "file-" + Guid.CreateVersion7().ToString("N");
        Directory.CreateDirectory(FilesDirectory);
        var path = Path.Combine(FilesDirectory, id + ".jsonl");
        var temporary = path + ".partial";
        long bytes = 0;
        string sha256;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    bytes += read;
                    if (bytes > maxBytes)
                    {
                        throw new HanlinException(ErrorCodes.FileTooLarge, $"'{name}' is larger than the {maxBytes:N0} bytes a fine-tuning file may have.");
                    }

                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            if (bytes == 0)
            {
                throw new HanlinException(ErrorCodes.EmptyFile, $"'{name}' is empty.");
            }

            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            File.Move(temporary, path);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        var file = new FineTuneFile(id, name, purpose, bytes, sha256, path, Now());
        await WithConnectionAsync(async connection =>
        {
            using var insert = Command(connection, null, "INSERT INTO files (id, file_name, purpose, bytes, sha256, path, created_at) VALUES ($id, $name, $purpose, $bytes, $sha, $path, $at)");
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$purpose", purpose);
            insert.Parameters.AddWithValue("$bytes", bytes);
            insert.Parameters.AddWithValue("$sha", sha256);
            insert.Parameters.AddWithValue("$path", path);
            insert.Parameters.AddWithValue("$at", file.CreatedAt.ToUnixTimeMilliseconds());
            return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return file;
    }

    /// <summary>The file <paramref name="id"/>.</summary>
    /// <exception cref="HanlinException"><c>file_not_found</c>.</exception>
    public Task<FineTuneFile> GetFileAsync(string id, CancellationToken cancellationToken = default) =>
        WithConnectionAsync(async connection =>
        {
            using var query = Command(connection, null, "SELECT id, file_name, purpose, bytes, sha256, path, created_at FROM files WHERE id = $id");
            query.Parameters.AddWithValue("$id", id);
            var files = await ReadFilesAsync(query, cancellationToken).ConfigureAwait(false);
            return files.Count == 1 ? files[0] : throw new HanlinException(ErrorCodes.FileNotFound, $"There is no file '{id}'.");
        }, cancellationToken);

    /// <summary>All uploaded files, newest first.</summary>
    public Task<IReadOnlyList<FineTuneFile>> ListFilesAsync(CancellationToken cancellationToken = default) =>
        WithConnectionAsync<IReadOnlyList<FineTuneFile>>(async connection =>
        {
            using var query = Command(connection, null, "SELECT id, file_name, purpose, bytes, sha256, path, created_at FROM files ORDER BY rowid DESC");
            return await ReadFilesAsync(query, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Deletes file <paramref name="id"/> unless a job uses it.</summary>
    /// <exception cref="HanlinException"><c>file_not_found</c>; <c>file_in_use</c> when a job refers to it.</exception>
    public async Task DeleteFileAsync(string id, CancellationToken cancellationToken = default)
    {
        var file = await GetFileAsync(id, cancellationToken).ConfigureAwait(false);
        await WithConnectionAsync(async connection =>
        {
            using var inUse = Command(connection, null, "SELECT COUNT(*) FROM jobs WHERE training_file = $id OR validation_file = $id");
            inUse.Parameters.AddWithValue("$id", id);
            if (Convert.ToInt64(await inUse.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
            {
                throw new HanlinException(ErrorCodes.FileInUse, $"File '{id}' is used by a fine-tuning job and cannot be deleted.");
            }

            using var delete = Command(connection, null, "DELETE FROM files WHERE id = $id");
            delete.Parameters.AddWithValue("$id", id);
            return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        File.Delete(file.Path);
    }

    /// <summary>Creates a job in status <c>validating_files</c>; a runner picks it up.</summary>
    /// <exception cref="HanlinException">
    /// <c>invalid_argument</c> for a missing model, a bad suffix or hyperparameters that are not a JSON object;
    /// <c>file_not_found</c> for an unknown file.
    /// </exception>
    public async Task<FineTuneJob> CreateJobAsync(FineTuneJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "A fine-tuning job needs a base model ('model').");
        }

        if (request.Suffix is { } suffix && !SuffixPattern().IsMatch(suffix))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The suffix '{suffix}' must be 1 to 64 letters, digits, '-' or '_'.");
        }

        var hyperparameters = request.HyperparametersJson ?? "{}";
        try
        {
            using var document = JsonDocument.Parse(hyperparameters);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, "The hyperparameters must be a JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The hyperparameters are not valid JSON: {ex.Message}", ex);
        }

        await GetFileAsync(request.TrainingFileId, cancellationToken).ConfigureAwait(false);
        if (request.ValidationFileId is { } validation)
        {
            await GetFileAsync(validation, cancellationToken).ConfigureAwait(false);
        }

        var job = new FineTuneJob(
            "ftjob-" + Guid.CreateVersion7().ToString("N"), request.Model.Trim(), request.TrainingFileId, request.ValidationFileId, request.Suffix,
            request.Seed ?? Random.Shared.NextInt64(0, int.MaxValue), hyperparameters, FineTuneJobStatus.ValidatingFiles, null, null, null, null, false, Now(), null, null);
        await WithConnectionAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var insert = Command(connection, transaction, $"""
                INSERT INTO jobs (id, model, training_file, validation_file, suffix, seed, hyperparameters, status, created_at)
                VALUES ($id, $model, $training, $validation, $suffix, $seed, $hp, '{StatusName(FineTuneJobStatus.ValidatingFiles)}', $at)
                """))
            {
                insert.Parameters.AddWithValue("$id", job.Id);
                insert.Parameters.AddWithValue("$model", job.Model);
                insert.Parameters.AddWithValue("$training", job.TrainingFileId);
                insert.Parameters.AddWithValue("$validation", (object?)job.ValidationFileId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$suffix", (object?)job.Suffix ?? DBNull.Value);
                insert.Parameters.AddWithValue("$seed", job.Seed);
                insert.Parameters.AddWithValue("$hp", job.HyperparametersJson);
                insert.Parameters.AddWithValue("$at", job.CreatedAt.ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await InsertEventAsync(connection, transaction, job.Id, "info", "message", $"Created fine-tuning job {job.Id}.", null, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return job;
    }

    /// <summary>The job <paramref name="id"/>.</summary>
    /// <exception cref="HanlinException"><c>job_not_found</c>.</exception>
    public Task<FineTuneJob> GetJobAsync(string id, CancellationToken cancellationToken = default) =>
        WithConnectionAsync(connection => FindJobAsync(connection, null, id, cancellationToken), cancellationToken);

    /// <summary>Jobs newest first, <paramref name="limit"/> at a time, older than job <paramref name="after"/> when given.</summary>
    public Task<FineTunePage<FineTuneJob>> ListJobsAsync(string? after = null, int limit = 20, CancellationToken cancellationToken = default)
    {
        ValidateLimit(limit);
        return WithConnectionAsync(async connection =>
        {
            using var query = Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE ($after IS NULL OR rowid < (SELECT rowid FROM jobs WHERE id = $after)) ORDER BY rowid DESC LIMIT $limit");
            query.Parameters.AddWithValue("$after", (object?)after ?? DBNull.Value);
            query.Parameters.AddWithValue("$limit", limit + 1);
            var jobs = await ReadJobsAsync(query, cancellationToken).ConfigureAwait(false);
            return new FineTunePage<FineTuneJob>(jobs.Take(limit).ToList(), jobs.Count > limit);
        }, cancellationToken);
    }

    /// <summary>
    /// Moves job <paramref name="id"/> to <paramref name="to"/> if it is in one of <paramref name="from"/>; false when it
    /// was not (another runner took it, or it was cancelled meanwhile). Final statuses record the finish time.
    /// </summary>
    public Task<bool> TransitionAsync(string id, IReadOnlyCollection<FineTuneJobStatus> from, FineTuneJobStatus to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        return WithConnectionAsync(async connection =>
        {
            var allowed = string.Join(", ", from.Select(s => $"'{StatusName(s)}'"));
            var started = to == FineTuneJobStatus.Running ? ", started_at = COALESCE(started_at, $at)" : string.Empty;
            var finished = to is FineTuneJobStatus.Succeeded or FineTuneJobStatus.Failed or FineTuneJobStatus.Cancelled ? ", finished_at = $at" : string.Empty;
            using var update = Command(connection, null, $"UPDATE jobs SET status = $to{started}{finished} WHERE id = $id AND status IN ({allowed})");
            update.Parameters.AddWithValue("$to", StatusName(to));
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$at", Now().ToUnixTimeMilliseconds());
            return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    /// <summary>Marks a running job succeeded with its model and trained tokens.</summary>
    public Task<bool> SucceedAsync(string id, string fineTunedModel, long trainedTokens, CancellationToken cancellationToken = default) =>
        WithConnectionAsync(async connection =>
        {
            using var update = Command(connection, null, $"""
                UPDATE jobs SET status = '{StatusName(FineTuneJobStatus.Succeeded)}', fine_tuned_model = $model, trained_tokens = $tokens, finished_at = $at
                WHERE id = $id AND status = '{StatusName(FineTuneJobStatus.Running)}'
                """);
            update.Parameters.AddWithValue("$model", fineTunedModel);
            update.Parameters.AddWithValue("$tokens", trainedTokens);
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$at", Now().ToUnixTimeMilliseconds());
            return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);

    /// <summary>Marks a job that is not final as failed with a stable code and a sentence.</summary>
    public Task<bool> FailAsync(string id, string code, string message, CancellationToken cancellationToken = default) =>
        WithConnectionAsync(async connection =>
        {
            using var update = Command(connection, null, $"""
                UPDATE jobs SET status = '{StatusName(FineTuneJobStatus.Failed)}', error_code = $code, error_message = $message, finished_at = $at
                WHERE id = $id AND status IN ('validating_files', 'queued', 'running')
                """);
            update.Parameters.AddWithValue("$code", code);
            update.Parameters.AddWithValue("$message", message);
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$at", Now().ToUnixTimeMilliseconds());
            return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);

    /// <summary>
    /// Cancels job <paramref name="id"/>: one still validating or queued becomes <c>cancelled</c> at once; a running one
    /// is flagged and its runner stops it at the next step. Cancelling a cancelled job is a no-op.
    /// </summary>
    /// <exception cref="HanlinException"><c>job_not_found</c>; <c>job_not_cancellable</c> when it already succeeded or failed.</exception>
    public Task<FineTuneJob> CancelAsync(string id, CancellationToken cancellationToken = default) =>
        WithConnectionAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var job = await FindJobAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
            switch (job.Status)
            {
                case FineTuneJobStatus.Succeeded or FineTuneJobStatus.Failed:
                    throw new HanlinException(ErrorCodes.JobNotCancellable, $"Job '{id}' has already {StatusName(job.Status)} and cannot be cancelled.");
                case FineTuneJobStatus.Cancelled:
                    return job;
                case FineTuneJobStatus.Running:
                    using (var flag = Command(connection, transaction, "UPDATE jobs SET cancel_requested = 1 WHERE id = $id"))
                    {
                        flag.Parameters.AddWithValue("$id", id);
                        await flag.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await InsertEventAsync(connection, transaction, id, "info", "message", "Cancellation requested; the job stops after the current step.", null, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    using (var cancel = Command(connection, transaction, $"UPDATE jobs SET status = '{StatusName(FineTuneJobStatus.Cancelled)}', cancel_requested = 1, finished_at = $at WHERE id = $id"))
                    {
                        cancel.Parameters.AddWithValue("$id", id);
                        cancel.Parameters.AddWithValue("$at", Now().ToUnixTimeMilliseconds());
                        await cancel.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await InsertEventAsync(connection, transaction, id, "info", "message", "The job was cancelled.", null, cancellationToken).ConfigureAwait(false);
                    break;
            }

            var updated = await FindJobAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return updated;
        }, cancellationToken);

    /// <summary>The oldest job that still waits for validation or training, or null.</summary>
    public Task<FineTuneJob?> NextPendingJobAsync(CancellationToken cancellationToken = default) =>
        WithConnectionAsync(async connection =>
        {
            using var query = Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE status IN ('validating_files', 'queued') ORDER BY rowid LIMIT 1");
            var jobs = await ReadJobsAsync(query, cancellationToken).ConfigureAwait(false);
            return jobs.Count == 0 ? null : jobs[0];
        }, cancellationToken);

    /// <summary>
    /// Puts jobs left <c>running</c> by a process that died back in the queue (they resume from their last checkpoint) and
    /// cancels those whose cancellation was asked for; returns how many were re-queued.
    /// </summary>
    public Task<int> RecoverInterruptedJobsAsync(CancellationToken cancellationToken = default) =>
        WithConnectionAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var interrupted = new List<(string Id, bool Cancel)>();
            using (var query = Command(connection, transaction, "SELECT id, cancel_requested FROM jobs WHERE status = 'running'"))
            using (var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    interrupted.Add((reader.GetString(0), reader.GetInt64(1) != 0));
                }
            }

            foreach (var (id, cancel) in interrupted)
            {
                using var update = Command(connection, transaction, cancel
                    ? "UPDATE jobs SET status = 'cancelled', finished_at = $at WHERE id = $id"
                    : "UPDATE jobs SET status = 'queued' WHERE id = $id");
                update.Parameters.AddWithValue("$id", id);
                update.Parameters.AddWithValue("$at", Now().ToUnixTimeMilliseconds());
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await InsertEventAsync(
                    connection, transaction, id, "warn", "message",
                    cancel ? "The process running this job stopped; the job was cancelled as requested." : "The process running this job stopped; the job is queued again and resumes from its last checkpoint.",
                    null, cancellationToken).ConfigureAwait(false);
            }

            transaction.Commit();
            return interrupted.Count(i => !i.Cancel);
        }, cancellationToken);

    /// <summary>Appends an event to job <paramref name="jobId"/>'s log.</summary>
    public Task<FineTuneEvent> AddEventAsync(string jobId, string level, string type, string message, string? dataJson = null, CancellationToken cancellationToken = default) =>
        WithConnectionAsync(connection => InsertEventAsync(connection, null, jobId, level, type, message, dataJson, cancellationToken), cancellationToken);

    /// <summary>Job <paramref name="jobId"/>'s events newest first, older than event <paramref name="after"/> when given.</summary>
    /// <exception cref="HanlinException"><c>job_not_found</c>; <c>invalid_argument</c> for a malformed cursor.</exception>
    public Task<FineTunePage<FineTuneEvent>> ListEventsAsync(string jobId, string? after = null, int limit = 20, CancellationToken cancellationToken = default)
    {
        ValidateLimit(limit);
        long? before = null;
        if (after is not null)
        {
            before = after.StartsWith("ftevent-", StringComparison.Ordinal) && long.TryParse(after.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
                ? seq
                : throw new HanlinException(ErrorCodes.InvalidArgument, $"'{after}' is not an event id.");
        }

        return WithConnectionAsync(async connection =>
        {
            await FindJobAsync(connection, null, jobId, cancellationToken).ConfigureAwait(false);
            using var query = Command(connection, null, "SELECT seq, job_id, level, type, message, data, created_at FROM events WHERE job_id = $job AND ($before IS NULL OR seq < $before) ORDER BY seq DESC LIMIT $limit");
            query.Parameters.AddWithValue("$job", jobId);
            query.Parameters.AddWithValue("$before", (object?)before ?? DBNull.Value);
            query.Parameters.AddWithValue("$limit", limit + 1);
            var events = new List<FineTuneEvent>();
            using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(new FineTuneEvent(
                    EventId(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
            }

            return new FineTunePage<FineTuneEvent>(events.Take(limit).ToList(), events.Count > limit);
        }, cancellationToken);
    }

    /// <summary>Records a checkpoint job <paramref name="jobId"/> wrote after <paramref name="step"/>.</summary>
    public Task<FineTuneCheckpoint> AddCheckpointAsync(string jobId, long step, string metricsJson, string directory, CancellationToken cancellationToken = default) =>
        WithConnectionAsync(async connection =>
        {
            var checkpoint = new FineTuneCheckpoint("ftckpt-" + Guid.CreateVersion7().ToString("N"), jobId, step, metricsJson, directory, Now());
            using var insert = Command(connection, null, "INSERT INTO checkpoints (id, job_id, step, metrics, directory, created_at) VALUES ($id, $job, $step, $metrics, $dir, $at)");
            insert.Parameters.AddWithValue("$id", checkpoint.Id);
            insert.Parameters.AddWithValue("$job", jobId);
            insert.Parameters.AddWithValue("$step", step);
            insert.Parameters.AddWithValue("$metrics", metricsJson);
            insert.Parameters.AddWithValue("$dir", directory);
            insert.Parameters.AddWithValue("$at", checkpoint.CreatedAt.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return checkpoint;
        }, cancellationToken);

    /// <summary>Job <paramref name="jobId"/>'s checkpoints newest first, older than checkpoint <paramref name="after"/> when given.</summary>
    public Task<FineTunePage<FineTuneCheckpoint>> ListCheckpointsAsync(string jobId, string? after = null, int limit = 10, CancellationToken cancellationToken = default)
    {
        ValidateLimit(limit);
        return WithConnectionAsync(async connection =>
        {
            await FindJobAsync(connection, null, jobId, cancellationToken).ConfigureAwait(false);
            using var query = Command(connection, null, "SELECT id, job_id, step, metrics, directory, created_at FROM checkpoints WHERE job_id = $job AND ($after IS NULL OR rowid < (SELECT rowid FROM checkpoints WHERE id = $after)) ORDER BY rowid DESC LIMIT $limit");
            query.Parameters.AddWithValue("$job", jobId);
            query.Parameters.AddWithValue("$after", (object?)after ?? DBNull.Value);
            query.Parameters.AddWithValue("$limit", limit + 1);
            var checkpoints = new List<FineTuneCheckpoint>();
            using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                checkpoints.Add(new FineTuneCheckpoint(
                    reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
            }

            return new FineTunePage<FineTuneCheckpoint>(checkpoints.Take(limit).ToList(), checkpoints.Count > limit);
        }, cancellationToken);
    }

    /// <summary>The snake_case name of a status, as stored and as OpenAI spells it.</summary>
    public static string StatusName(FineTuneJobStatus status) => status switch
    {
        FineTuneJobStatus.ValidatingFiles => "validating_files",
        FineTuneJobStatus.Queued => "queued",
        FineTuneJobStatus.Running => "running",
        FineTuneJobStatus.Succeeded => "succeeded",
        FineTuneJobStatus.Failed => "failed",
        FineTuneJobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static FineTuneJobStatus ParseStatus(string name) => name switch
    {
        "validating_files" => FineTuneJobStatus.ValidatingFiles,
        "queued" => FineTuneJobStatus.Queued,
        "running" => FineTuneJobStatus.Running,
        "succeeded" => FineTuneJobStatus.Succeeded,
        "failed" => FineTuneJobStatus.Failed,
        "cancelled" => FineTuneJobStatus.Cancelled,
        _ => throw new HanlinException(ErrorCodes.StorageCorrupt, $"Unknown job status '{name}' in the fine-tuning store."),
    };

    private static string EventId(long seq) => "ftevent-" + seq.ToString("D12", CultureInfo.InvariantCulture);

    private static void ValidateLimit(int limit)
    {
        if (limit is < 1 or > 100)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"limit must be between 1 and 100, not {limit}.");
        }
    }

    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static async Task<FineTuneEvent> InsertEventAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string jobId, string level, string type, string message, string? dataJson, CancellationToken cancellationToken)
    {
        var at = Now();
        using var insert = Command(connection, transaction, "INSERT INTO events (job_id, level, type, message, data, created_at) VALUES ($job, $level, $type, $message, $data, $at) RETURNING seq");
        insert.Parameters.AddWithValue("$job", jobId);
        insert.Parameters.AddWithValue("$level", level);
        insert.Parameters.AddWithValue("$type", type);
        insert.Parameters.AddWithValue("$message", message);
        insert.Parameters.AddWithValue("$data", (object?)dataJson ?? DBNull.Value);
        insert.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        var seq = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return new FineTuneEvent(EventId(seq), jobId, level, type, message, dataJson, at);
    }

    private static async Task<FineTuneJob> FindJobAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        using var query = Command(connection, transaction, $"SELECT {JobColumns} FROM jobs WHERE id = $id");
        query.Parameters.AddWithValue("$id", id);
        var jobs = await ReadJobsAsync(query, cancellationToken).ConfigureAwait(false);
        return jobs.Count == 1 ? jobs[0] : throw new HanlinException(ErrorCodes.JobNotFound, $"There is no fine-tuning job '{id}'.");
    }

    private static async Task<List<FineTuneJob>> ReadJobsAsync(SqliteCommand query, CancellationToken cancellationToken)
    {
        static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
        static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var jobs = new List<FineTuneJob>();
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(new FineTuneJob(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), Text(reader, 3), Text(reader, 4), reader.GetInt64(5),
                reader.GetString(6), ParseStatus(reader.GetString(7)), Text(reader, 8), Text(reader, 9), Text(reader, 10),
                reader.IsDBNull(11) ? null : reader.GetInt64(11), reader.GetInt64(12) != 0,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)), Time(reader, 14), Time(reader, 15)));
        }

        return jobs;
    }

    private static async Task<List<FineTuneFile>> ReadFilesAsync(SqliteCommand query, CancellationToken cancellationToken)
    {
        var files = new List<FineTuneFile>();
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            files.Add(new FineTuneFile(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }

        return files;
    }

    private Task<T> WithConnectionAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken) =>
        _database.WithConnectionAsync(work, cancellationToken);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql) =>
        SqliteModuleDatabase.Command(connection, transaction, sql);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SuffixPattern();
}
