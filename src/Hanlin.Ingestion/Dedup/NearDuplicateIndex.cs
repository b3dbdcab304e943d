using Hanlin.Core.Documents;

namespace Hanlin.Ingestion.Dedup;

/// <summary>
/// Finds the indexed chunk whose SimHash is nearest to a query within a Hamming distance of at most
/// <see cref="MaxSupportedDistance"/>. The 64 bits are cut into four 16-bit bands, each with a table
/// from band value to entries: two hashes within distance 3 differ in at most 3 bands, so by the
/// pigeonhole principle they share at least one band exactly, and a query inspects only the (on average
/// tiny) buckets of its own four band values. Lookups stay ~O(1) for hundreds of thousands of entries.
/// Not thread-safe: one writer, or external locking.
/// </summary>
public sealed class NearDuplicateIndex
{
    /// <summary>The largest distance the four-band layout can answer exactly.</summary>
    public const int MaxSupportedDistance = 3;

    private const int Bands = 4;
    private const int BandBits = 16;

    private readonly Dictionary<ushort, List<NearDuplicateEntry>>[] _bands;
    private readonly Dictionary<string, NearDuplicateEntry> _byChunk = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NearDuplicateEntry>> _byDocument = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Creates an empty index.</summary>
    public NearDuplicateIndex()
    {
        _bands = new Dictionary<ushort, List<NearDuplicateEntry>>[Bands];
        for (var band = 0; band < Bands; band++)
        {
            _bands[band] = [];
        }
    }

    /// <summary>Number of indexed chunks.</summary>
    public int Count => _byChunk.Count;

    /// <summary>Indexes a chunk; adding a chunk id again replaces its earlier entry.</summary>
    public void Add(string chunkId, string documentId, ulong simHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(chunkId);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        if (_byChunk.ContainsKey(chunkId))
        {
            RemoveChunk(chunkId);
        }

        if (!_byDocument.TryGetValue(documentId, out var ofDocument))
        {
            ofDocument = [];
            _byDocument.Add(documentId, ofDocument);
        }
        else if (ofDocument.Count > 0)
        {
            // Share one document id string: fingerprints loaded from storage carry a fresh copy per chunk,
            // and hundreds of thousands of copies would dominate the index's memory.
            documentId = ofDocument[0].DocumentId;
        }

        var entry = new NearDuplicateEntry(chunkId, documentId, simHash, _sequence++);
        _byChunk.Add(chunkId, entry);

        ofDocument.Add(entry);
        for (var band = 0; band < Bands; band++)
        {
            var key = BandValue(simHash, band);
            if (!_bands[band].TryGetValue(key, out var bucket))
            {
                bucket = [];
                _bands[band].Add(key, bucket);
            }

            bucket.Add(entry);
        }
    }

    /// <summary>Indexes a stored chunk's fingerprint.</summary>
    public void Add(ChunkFingerprint fingerprint) => Add(fingerprint.ChunkId, fingerprint.DocumentId, fingerprint.SimHash);

    /// <summary>Removes every chunk of <paramref name="documentId"/>; returns how many were removed.</summary>
    public int RemoveDocument(string documentId)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        if (!_byDocument.Remove(documentId, out var entries))
        {
            return 0;
        }

        foreach (var entry in entries)
        {
            _byChunk.Remove(entry.ChunkId);
            RemoveFromBands(entry);
        }

        return entries.Count;
    }

    /// <summary>Removes every chunk of each of <paramref name="documentIds"/>; returns how many were removed.</summary>
    public int RemoveDocuments(IEnumerable<string> documentIds)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        var removed = 0;
        foreach (var documentId in documentIds)
        {
            removed += RemoveDocument(documentId);
        }

        return removed;
    }

    /// <summary>
    /// The indexed chunk nearest to <paramref name="simHash"/> with distance ≤ <paramref name="maxDistance"/>,
    /// skipping chunks of <paramref name="excludeDocumentId"/>; ties go to the earliest added. Null when none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDistance"/> is negative or above <see cref="MaxSupportedDistance"/>.</exception>
    public NearDuplicateMatch? FindNearest(ulong simHash, int maxDistance, string? excludeDocumentId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDistance, MaxSupportedDistance);
        NearDuplicateEntry? best = null;
        var bestDistance = int.MaxValue;
        for (var band = 0; band < Bands; band++)
        {
            if (!_bands[band].TryGetValue(BandValue(simHash, band), out var bucket))
            {
                continue;
            }

            foreach (var entry in bucket)
            {
                var distance = SimHasher.HammingDistance(simHash, entry.SimHash);
                if (distance > maxDistance
                    || (excludeDocumentId is not null && string.Equals(entry.DocumentId, excludeDocumentId, StringComparison.Ordinal)))
                {
                    continue;
                }

                if (distance < bestDistance || (distance == bestDistance && entry.Sequence < best!.Sequence))
                {
                    best = entry;
                    bestDistance = distance;
                }
            }
        }

        return best is null ? null : new NearDuplicateMatch(best.ChunkId, best.DocumentId, bestDistance);
    }

    private void RemoveChunk(string chunkId)
    {
        if (!_byChunk.Remove(chunkId, out var entry))
        {
            return;
        }

        if (_byDocument.TryGetValue(entry.DocumentId, out var ofDocument))
        {
            ofDocument.Remove(entry);
            if (ofDocument.Count == 0)
            {
                _byDocument.Remove(entry.DocumentId);
            }
        }

        RemoveFromBands(entry);
    }

    private void RemoveFromBands(NearDuplicateEntry entry)
    {
        for (var band = 0; band < Bands; band++)
        {
            var key = BandValue(entry.SimHash, band);
            if (_bands[band].TryGetValue(key, out var bucket))
            {
                bucket.Remove(entry);
                if (bucket.Count == 0)
                {
                    _bands[band].Remove(key);
                }
            }
        }
    }

    private static ushort BandValue(ulong simHash, int band) => (ushort)(simHash >> (band * BandBits));
}
