using Hanlin.Core.Collections;
using Hanlin.Core.Documents;
using Hanlin.Core.Ingestion;

namespace Hanlin.Core.Storage;

/// <summary>
/// The metadata store: collections, documents, versions, chunks and ingestion jobs. SQLite is the
/// embedded default; PostgreSQL is the scale-out provider behind the same seam. Every mutating call is
/// one transaction: after a crash a document is either wholly at its old version or wholly at the new one.
/// Lookups by name or id that find nothing return null; mutations on missing items throw
/// <see cref="Errors.HanlinException"/> with a <c>*_not_found</c> code.
/// </summary>
public interface IKnowledgeStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema; marks jobs left <c>Running</c> by a dead process as interrupted.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task<Collection> CreateCollectionAsync(string name, string? description, CancellationToken cancellationToken = default);

    /// <summary>Returns the collection, creating it when absent.</summary>
    Task<Collection> GetOrCreateCollectionAsync(string name, CancellationToken cancellationToken = default);

    Task<Collection?> GetCollectionAsync(string nameOrId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The collection's id, name, description and creation time, without counting its documents and chunks (both
    /// counts are 0): the cheap lookup for per-request checks, which would otherwise sum over every document.
    /// </summary>
    Task<Collection?> FindCollectionAsync(string nameOrId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Collection>> ListCollectionsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Every collection by name, without counting documents and chunks (both counts are 0): the cheap listing for
    /// per-request access checks, which would otherwise sum over every document of every collection.
    /// </summary>
    Task<IReadOnlyList<Collection>> FindCollectionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the collection with its documents, versions and chunks. False when absent.</summary>
    Task<bool> DeleteCollectionAsync(string nameOrId, CancellationToken cancellationToken = default);

    Task<Document?> GetDocumentAsync(string documentId, CancellationToken cancellationToken = default);

    Task<Document?> FindDocumentBySourceAsync(string collectionId, string sourceName, CancellationToken cancellationToken = default);

    /// <summary>Finds a document of the collection whose current version has this normalised-text hash.</summary>
    Task<Document?> FindDocumentByTextHashAsync(string collectionId, string textSha256, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Document>> ListDocumentsAsync(string? collectionId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DocumentVersion>> ListVersionsAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new document, or a new version of the document with the same source name, and its chunks,
    /// in one transaction; the previous version's chunks are removed in the same transaction. Returns what was
    /// stored, chunk ids included.
    /// </summary>
    Task<SavedVersion> SaveVersionAsync(NewDocumentVersion version, CancellationToken cancellationToken = default);

    /// <summary>Records that the latest attempt to ingest an existing document failed (content untouched).</summary>
    Task RecordDocumentErrorAsync(string documentId, string errorCode, string errorMessage, CancellationToken cancellationToken = default);

    /// <summary>Deletes the document, its versions and chunks. False when absent.</summary>
    Task<bool> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>Chunks of the document's current version, by ordinal.</summary>
    Task<IReadOnlyList<Chunk>> GetChunksAsync(string documentId, CancellationToken cancellationToken = default);

    Task<Chunk?> GetChunkAsync(string chunkId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The chunks with these ids and their documents in one round trip (what a search hydrates its hits with), in
    /// the order of <paramref name="chunkIds"/>; ids storage no longer has are left out.
    /// </summary>
    Task<IReadOnlyList<(Chunk Chunk, Document Document)>> GetChunksWithDocumentsAsync(IReadOnlyList<string> chunkIds, CancellationToken cancellationToken = default);

    /// <summary>Fingerprints of all current chunks of a collection, optionally without one document's.</summary>
    Task<IReadOnlyList<ChunkFingerprint>> ListFingerprintsAsync(string collectionId, CancellationToken cancellationToken = default);

    /// <summary>Every blob hash still referenced (originals and texts of all versions), for blob GC.</summary>
    Task<IReadOnlySet<string>> ListReferencedBlobsAsync(CancellationToken cancellationToken = default);

    Task<IngestionJob> CreateJobAsync(string collectionId, int totalFiles, long totalBytes, CancellationToken cancellationToken = default);

    Task UpdateJobProgressAsync(string jobId, int doneFiles, long doneBytes, string? currentFile, CancellationToken cancellationToken = default);

    Task AddFileResultAsync(string jobId, FileResult result, CancellationToken cancellationToken = default);

    Task<IngestionJob> FinishJobAsync(string jobId, IngestionJobStatus status, CancellationToken cancellationToken = default);

    Task<IngestionJob?> GetJobAsync(string jobId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IngestionJob>> ListJobsAsync(string? collectionId, int limit, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<FileResult>> GetFileResultsAsync(string jobId, CancellationToken cancellationToken = default);
}
