namespace Hanlin.Core.Storage;

/// <summary>
/// Content-addressed storage of original files and normalised texts, keyed by lowercase hex sha256.
/// Writes are atomic: a blob is either absent or complete.
/// </summary>
public interface IBlobStore
{
    /// <summary>Copies <paramref name="content"/> into the store and returns its sha256 and length.</summary>
    Task<(string Sha256, long Length)> PutAsync(Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens a stored blob for reading, or throws <c>document_not_found</c>-style errors if absent.</summary>
    Stream OpenRead(string sha256);

    bool Exists(string sha256);

    /// <summary>Deletes blobs not in <paramref name="referenced"/>; returns how many were removed.</summary>
    Task<int> CollectGarbageAsync(IReadOnlySet<string> referenced, CancellationToken cancellationToken = default);
}
