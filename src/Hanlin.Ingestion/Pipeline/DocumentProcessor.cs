using System.Security.Cryptography;
using System.Text;
using Hanlin.Core.Collections;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Core.Indexing;
using Hanlin.Core.Ingestion;
using Hanlin.Core.Storage;
using Hanlin.Ingestion.Chunking;
using Hanlin.Ingestion.Cleaning;
using Hanlin.Ingestion.Dedup;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Sniffing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanlin.Ingestion.Pipeline;

/// <summary>
/// Ingests one file into a collection: read and hash → (unchanged?) → sniff → extract → normalise →
/// (duplicate document?) → chunk → drop near-duplicate chunks → blobs → one storage transaction.
/// Throws <see cref="HanlinException"/> for bad input; nothing is stored for a file that fails, so the
/// job runner records the failure and goes on with the next file.
/// </summary>
public sealed partial class DocumentProcessor
{
    private const int PreviewLength = 80;

    // SimHash of a very short text rests on a handful of features, so two different short chunks
    // ("贮藏: 密封保存" vs "贮藏: 遮光保存") can land within the distance; those are never dropped.
    private const int MinTokensForNearDuplicate = 24;

    private readonly IKnowledgeStore _store;
    private readonly IBlobStore _blobs;
    private readonly ContentSniffer _sniffer;
    private readonly ExtractorRegistry _extractors;
    private readonly DocumentNormalizer _normalizer;
    private readonly StructuredChunker _chunker;
    private readonly IngestionOptions _options;
    private readonly IReadOnlyList<IChunkIndex> _indexes;
    private readonly ILogger<DocumentProcessor> _logger;

    public DocumentProcessor(
        IKnowledgeStore store,
        IBlobStore blobs,
        ContentSniffer sniffer,
        ExtractorRegistry extractors,
        DocumentNormalizer normalizer,
        StructuredChunker chunker,
        IOptions<IngestionOptions> options,
        IEnumerable<IChunkIndex> indexes,
        ILogger<DocumentProcessor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _blobs = blobs;
        _sniffer = sniffer;
        _extractors = extractors;
        _normalizer = normalizer;
        _chunker = chunker;
        _options = options.Value;
        _indexes = [.. indexes];
        _logger = logger;
    }

    /// <summary>Prepares and commits one file (see <see cref="PrepareAsync"/> and <see cref="CommitAsync"/>); returns once it is searchable.</summary>
    /// <param name="source">The file and its name in the collection.</param>
    /// <param name="collection">Target collection.</param>
    /// <param name="fingerprints">Near-duplicate index of the collection; updated with the stored chunks.</param>
    /// <param name="cancellationToken">Cancels between steps; nothing is stored for a cancelled file.</param>
    public async Task<FileResult> ProcessAsync(IngestionSource source, Collection collection, NearDuplicateIndex fingerprints, CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(source, collection, cancellationToken).ConfigureAwait(false);
        FileResult result;
        await using (prepared.ConfigureAwait(false))
        {
            result = await CommitAsync(prepared, collection, fingerprints, cancellationToken).ConfigureAwait(false);
        }

        await WaitForIndexesAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Completes once every index has applied the documents committed so far, so they are searchable. Indexes
    /// write in the background (off the ingestion path); a job waits once at its end. An index failure is logged,
    /// not thrown: storage has the documents and the index is repaired from it on the next start.
    /// </summary>
    public async Task WaitForIndexesAsync(CancellationToken cancellationToken = default)
    {
        foreach (var index in _indexes)
        {
            try
            {
                await index.WaitForIndexedAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HanlinException ex)
            {
                LogIndexBehind("(pending)", ex.Code, ex.Message);
            }
        }
    }

    /// <summary>
    /// The CPU-heavy part, which only reads storage: hash, unchanged check, sniff, extract, normalise, chunk.
    /// Several files may be prepared at once; the result holds the open file until it is disposed.
    /// </summary>
    internal async Task<PreparedDocument> PrepareAsync(IngestionSource source, Collection collection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(collection);

        var limits = _options.Limits;
        var content = OpenFile(source, limits);
        try
        {
            var size = content.Length;
            var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false));
            content.Position = 0;

            var existing = await _store.FindDocumentBySourceAsync(collection.Id, source.SourceName, cancellationToken).ConfigureAwait(false);
            if (existing is not null && existing.Sha256 == sha256 && existing.LastErrorCode is null)
            {
                await content.DisposeAsync().ConfigureAwait(false);
                return PreparedDocument.Done(source, Result(source, FileOutcome.Unchanged, existing.Id, existing.Version, existing.MediaType, size, existing.ChunkCount));
            }

            var sniffed = _sniffer.Sniff(content, source.SourceName);
            content.Position = 0;
            var extractor = _extractors.Get(sniffed.MediaType, source.SourceName);
            var context = new ExtractionContext(source.SourceName, sniffed.MediaType, limits, sniffed.Encoding);
            var extracted = await extractor.ExtractAsync(content, context, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            var normalized = _normalizer.Normalize(extracted);
            if (normalized.Text.Length == 0 && normalized.PagesNeedingOcr.Count == 0)
            {
                throw new HanlinException(ErrorCodes.NoTextContent, $"'{source.SourceName}' contains no text to ingest.");
            }

            var textBytes = Encoding.UTF8.GetBytes(normalized.Text);
            var textSha256 = Convert.ToHexStringLower(SHA256.HashData(textBytes));
            var drafts = _chunker.Chunk(normalized, _options.Chunking);
            cancellationToken.ThrowIfCancellationRequested();
            return new PreparedDocument(source, content, size, sha256, sniffed.MediaType, normalized, normalized.Title ?? extracted.Title, textBytes, textSha256, drafts);
        }
        catch
        {
            await content.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The part that decides against the collection and writes, run one file at a time in job order:
    /// unchanged/duplicate checks against what is stored now, near-duplicate filter, blobs, one transaction.
    /// </summary>
    internal async Task<FileResult> CommitAsync(PreparedDocument prepared, Collection collection, NearDuplicateIndex fingerprints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(fingerprints);
        if (prepared.Outcome is { } done)
        {
            return done;
        }

        var source = prepared.Source;
        var size = prepared.SizeBytes;
        var normalized = prepared.Normalized!;
        var existing = await _store.FindDocumentBySourceAsync(collection.Id, source.SourceName, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Sha256 == prepared.Sha256 && existing.LastErrorCode is null)
        {
            return Result(source, FileOutcome.Unchanged, existing.Id, existing.Version, existing.MediaType, size, existing.ChunkCount);
        }

        if (existing is not null && await IsSameTextAsync(existing, prepared.TextSha256!, cancellationToken).ConfigureAwait(false))
        {
            // New bytes, same content (e.g. only file metadata changed): keep the current version.
            return Result(source, FileOutcome.Unchanged, existing.Id, existing.Version, existing.MediaType, size, existing.ChunkCount);
        }

        var twin = await _store.FindDocumentByTextHashAsync(collection.Id, prepared.TextSha256!, cancellationToken).ConfigureAwait(false);
        if (twin is not null && twin.Id != existing?.Id)
        {
            return Result(source, FileOutcome.Duplicate, twin.Id, twin.Version, prepared.MediaType, size, 0);
        }

        var (kept, dropped) = DropNearDuplicates(prepared.Drafts!, existing?.Id, fingerprints);
        cancellationToken.ThrowIfCancellationRequested();

        var content = prepared.Content!;
        var sha256 = prepared.Sha256!;
        var textBytes = prepared.TextBytes!;
        var textSha256 = prepared.TextSha256!;
        content.Position = 0;
        var (storedSha, _) = await _blobs.PutAsync(content, cancellationToken).ConfigureAwait(false);
        if (storedSha != sha256)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"'{source.SourceName}' changed while it was being ingested; try again.");
        }

        using (var textStream = new MemoryStream(textBytes, writable: false))
        {
            await _blobs.PutAsync(textStream, cancellationToken).ConfigureAwait(false);
        }

        var version = new NewDocumentVersion(
            collection.Id,
            source.SourceName,
            prepared.MediaType!,
            size,
            sha256,
            textSha256,
            normalized.Text.Length,
            prepared.Title,
            normalized.PageCount,
            normalized.PagesNeedingOcr,
            kept);
        var (document, stored, storedChunks) = await _store.SaveVersionAsync(version, cancellationToken).ConfigureAwait(false);

        // Storage has committed: from here on the file is ingested whatever happens, so nothing is cancelled.
        // An index that fails to follow is repaired from storage by its owner (see IChunkIndex).
        fingerprints.RemoveDocument(document.Id);
        foreach (var chunk in storedChunks)
        {
            fingerprints.Add(chunk.Id, chunk.DocumentId, chunk.SimHash);
        }

        foreach (var index in _indexes)
        {
            try
            {
                await index.ReplaceDocumentAsync(document, storedChunks, CancellationToken.None).ConfigureAwait(false);
            }
            catch (HanlinException ex)
            {
                LogIndexBehind(document.Id, ex.Code, ex.Message);
            }
        }

        return Result(source, FileOutcome.Ingested, document.Id, stored.Version, prepared.MediaType, size, kept.Count) with
        {
            DroppedChunks = dropped,
            PagesNeedingOcr = normalized.PagesNeedingOcr,
        };
    }

    private static FileStream OpenFile(IngestionSource source, ExtractionLimits limits)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(source.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"'{source.SourceName}' no longer exists.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"'{source.SourceName}' no longer exists.");
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"'{source.SourceName}' cannot be read: {ex.Message}", ex);
        }

        if (stream.Length == 0)
        {
            stream.Dispose();
            throw new HanlinException(ErrorCodes.EmptyFile, $"'{source.SourceName}' is empty.");
        }

        if (stream.Length > limits.MaxFileBytes)
        {
            var length = stream.Length;
            stream.Dispose();
            throw new HanlinException(ErrorCodes.FileTooLarge, $"'{source.SourceName}' is {length:N0} bytes, over the limit of {limits.MaxFileBytes:N0} bytes.");
        }

        return stream;
    }

    private async Task<bool> IsSameTextAsync(Document existing, string textSha256, CancellationToken cancellationToken)
    {
        var versions = await _store.ListVersionsAsync(existing.Id, cancellationToken).ConfigureAwait(false);
        var current = versions.FirstOrDefault(v => v.Id == existing.CurrentVersionId);
        return current is not null && current.TextSha256 == textSha256 && existing.LastErrorCode is null;
    }

    private (IReadOnlyList<ChunkDraft> Kept, IReadOnlyList<DroppedChunk> Dropped) DropNearDuplicates(
        IReadOnlyList<ChunkDraft> drafts, string? replacingDocumentId, NearDuplicateIndex fingerprints)
    {
        var maxDistance = _options.NearDuplicateMaxDistance;
        if (maxDistance <= 0 && drafts.Count > 0)
        {
            return (drafts, []);
        }

        var kept = new List<ChunkDraft>(drafts.Count);
        var dropped = new List<DroppedChunk>();

        // Chunks of this very document are compared with each other too (a leaflet repeating its
        // warnings); they are not in the index yet, so keep a local one. Distance 0 with an identical
        // content hash catches exact repeats as well.
        var local = new NearDuplicateIndex();
        foreach (var draft in drafts)
        {
            if (draft.TokenCount < MinTokensForNearDuplicate)
            {
                kept.Add(draft with { Ordinal = kept.Count });
                continue;
            }

            var match = fingerprints.FindNearest(draft.SimHash, maxDistance, replacingDocumentId);
            var localMatch = local.FindNearest(draft.SimHash, maxDistance, null);
            if (match is null && localMatch is null)
            {
                local.Add($"#{kept.Count}", "self", draft.SimHash);
                kept.Add(draft with { Ordinal = kept.Count });
                continue;
            }

            var (duplicateOf, distance) = match is not null && (localMatch is null || match.Distance <= localMatch.Distance)
                ? (match.ChunkId, match.Distance)
                : (LocalName(localMatch!.ChunkId), localMatch.Distance);
            dropped.Add(new DroppedChunk(draft.Ordinal, Preview(draft.Text), duplicateOf, distance));
        }

        return (kept, dropped);
    }

    // Local ids are "#ordinal" in the kept list; report them as "ordinal N of this document".
    private static string LocalName(string localId) => "this-document" + localId;

    private static string Preview(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= PreviewLength ? flat : string.Concat(flat.AsSpan(0, PreviewLength), "…");
    }

    private static FileResult Result(IngestionSource source, FileOutcome outcome, string? documentId, int? version, string? mediaType, long size, int chunks) =>
        new(source.SourceName, outcome, documentId, version, mediaType, size, chunks, [], [], null, null);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Document {DocumentId} is stored but its index update failed ({ErrorCode}: {ErrorMessage}); the index is repaired from storage on the next start")]
    private partial void LogIndexBehind(string documentId, string errorCode, string errorMessage);
}
