using System.Buffers;
using System.Security.Cryptography;
using Hanlin.Core.Errors;
using Hanlin.Core.Storage;

namespace Hanlin.Storage.Blobs;

/// <summary>
/// Content-addressed files under <c>&lt;data&gt;/blobs/ab/cd/&lt;sha256&gt;</c> (sharded by the first two hex
/// pairs so that no folder grows beyond 256 entries per level). A put streams into <c>tmp/</c> while hashing,
/// flushes to disk and then moves the file into place, so a final path only ever holds complete bytes.
/// Safe for concurrent use by any number of threads and processes sharing the directory.
/// </summary>
public sealed class FileBlobStore : IBlobStore
{
    private const int BufferSize = 81920;

    private readonly HanlinDataDirectory _directory;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a store over an existing data directory (see <see cref="HanlinDataDirectory.Open"/>).</summary>
    public FileBlobStore(HanlinDataDirectory directory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _directory = directory;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Blobs and temp files younger than this are never collected. A blob is written before the metadata that
    /// references it is committed, so garbage collection running in between must not take it; a put of content
    /// that already exists refreshes the file's time for the same reason.
    /// </summary>
    public TimeSpan GarbageGracePeriod { get; init; } = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public async Task<(string Sha256, long Length)> PutAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var tempPath = Path.Combine(_directory.TempPath, $"{Guid.NewGuid():N}.part");
        try
        {
            Directory.CreateDirectory(_directory.TempPath);
            var (sha256, length) = await WriteTempAsync(content, tempPath, cancellationToken).ConfigureAwait(false);
            var finalPath = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            MoveIntoPlace(tempPath, finalPath, length);
            return (sha256, length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(
                ErrorCodes.Internal,
                $"Could not store a blob in '{_directory.BlobsPath}': {ex.Message}",
                ex);
        }
        finally
        {
            TryDelete(tempPath);
        }
    }

    /// <inheritdoc />
    /// <exception cref="HanlinException"><c>invalid_argument</c> for a malformed hash, <c>document_not_found</c> when absent.</exception>
    public Stream OpenRead(string sha256)
    {
        var path = PathOf(Sha256Hex.Validate(sha256));
        try
        {
            // FileShare.Delete: garbage collection may unlink a blob being read; the reader keeps its bytes.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HanlinException(ErrorCodes.DocumentNotFound, $"Blob {sha256} is not in the blob store ('{path}' is missing).", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.StorageCorrupt, $"Blob {sha256} cannot be read from '{path}': {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    /// <exception cref="HanlinException"><c>invalid_argument</c> for a malformed hash.</exception>
    public bool Exists(string sha256) => File.Exists(PathOf(Sha256Hex.Validate(sha256)));

    /// <inheritdoc />
    /// <remarks>
    /// Also removes temp files older than <see cref="GarbageGracePeriod"/> (left by a process that died mid-put).
    /// Files in the blob folders whose names are not sha256 hashes are not Hanlin's and are left alone.
    /// </remarks>
    public Task<int> CollectGarbageAsync(IReadOnlySet<string> referenced, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(referenced);
        var cutoff = _timeProvider.GetUtcNow().UtcDateTime - GarbageGracePeriod;
        var removed = 0;
        try
        {
            if (Directory.Exists(_directory.BlobsPath))
            {
                foreach (var file in new DirectoryInfo(_directory.BlobsPath).EnumerateFiles("*", SearchOption.AllDirectories))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (Sha256Hex.IsValid(file.Name)
                        && file.FullName == PathOf(file.Name)
                        && !referenced.Contains(file.Name)
                        && file.LastWriteTimeUtc <= cutoff
                        && TryDelete(file.FullName))
                    {
                        removed++;
                    }
                }
            }

            if (Directory.Exists(_directory.TempPath))
            {
                foreach (var file in new DirectoryInfo(_directory.TempPath).EnumerateFiles("*.part"))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (file.LastWriteTimeUtc <= cutoff)
                    {
                        TryDelete(file.FullName);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.Internal, $"Blob garbage collection under '{_directory.BlobsPath}' failed: {ex.Message}", ex);
        }

        return Task.FromResult(removed);
    }

    /// <summary>The final path of a (validated) hash: <c>blobs/ab/cd/abcd…</c>.</summary>
    internal string PathOf(string sha256) => Path.Combine(_directory.BlobsPath, sha256[..2], sha256[2..4], sha256);

    private static async Task<(string Sha256, long Length)> WriteTempAsync(Stream content, string tempPath, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long length = 0;
        try
        {
            var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    length += read;
                }

                // fsync before the rename: otherwise a power loss can leave a renamed but empty file.
                file.Flush(flushToDisk: true);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    private void MoveIntoPlace(string tempPath, string finalPath, long length)
    {
        try
        {
            File.Move(tempPath, finalPath, overwrite: false);
            return;
        }
        catch (IOException) when (File.Exists(finalPath))
        {
            // Same hash, so the same bytes: another put won the race or the content was already stored.
        }

        try
        {
            var existing = new FileInfo(finalPath);
            if (existing.Length == length)
            {
                // Keep the existing blob out of a garbage collection that may run before its new reference is committed.
                existing.LastWriteTimeUtc = _timeProvider.GetUtcNow().UtcDateTime;
                return;
            }
        }
        catch (FileNotFoundException)
        {
            // Collected between the failed move and now: fall through and store our copy.
        }

        // Missing, or damaged outside Hanlin (wrong length): replace it atomically with the good bytes.
        File.Move(tempPath, finalPath, overwrite: true);
    }

    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
