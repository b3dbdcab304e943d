using System.Globalization;
using System.Runtime.InteropServices;
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
/// <remarks>
/// Memory is flat arrays indexed by slot (one slot per added chunk, in insertion order), so a collection's
/// index costs ~100 bytes per chunk and no object per chunk: the hash, a document ordinal, the chunk id packed
/// into 128 bits when it has the storage's <c>prefix_hex32</c> form (<see cref="Core.Identity.HanlinId"/>),
/// and one chain link per band; each band maps a band value to the newest slot of its chain. Removed slots are
/// marked dead and skipped, and the arrays are compacted (keeping slot order, hence tie order) once most
/// slots are dead.
/// </remarks>
public sealed class NearDuplicateIndex
{
    /// <summary>The largest distance the four-band layout can answer exactly.</summary>
    public const int MaxSupportedDistance = 3;

    private const int Bands = 4;
    private const int BandBits = 16;
    private const int End = -1;
    private const int Dead = -1;
    private const int IrregularId = -1;
    private const int HexLength = 32;
    private const int MinCompactionSlots = 4096;
    private const int EmptyEntry = -1;
    private const int RemovedEntry = -2;

    // Distinct id prefixes packed; ids with further prefixes are kept as strings.
    private const int MaxPackedPrefixes = 16;

    // [band]: band value → most recently added slot of that bucket. Dictionaries rather than 64k-entry
    // arrays, so the small per-document index the processor builds for every file costs next to nothing.
    private readonly Dictionary<ushort, int>[] _heads;
    // Packed chunk id → slot, open addressing over the per-slot id arrays: one int per table entry
    // (EmptyEntry, RemovedEntry or a slot), where a dictionary would copy each 128-bit key again.
    private int[] _idTable = NewIdTable(64);
    private int _idTableUsed;
    private readonly Dictionary<string, int> _slotByIrregularId = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _irregularIdBySlot = [];
    private readonly Dictionary<string, int> _documentOrdinals = new(StringComparer.Ordinal);
    private readonly List<string?> _documentIds = [];
    private readonly Dictionary<int, List<int>> _slotsByDocument = [];
    private readonly List<string> _idPrefixes = [];

    // Per slot. _next is [slot * Bands + band]: the next older slot in that band's bucket, or End.
    private ulong[] _hashes = new ulong[64];
    private int[] _documents = new int[64];
    private int[] _idPrefix = new int[64];
    private UInt128[] _idHex = new UInt128[64];
    private int[] _next = new int[64 * Bands];
    private int _slots;
    private int _live;

    /// <summary>Creates an empty index.</summary>
    public NearDuplicateIndex()
    {
        _heads = new Dictionary<ushort, int>[Bands];
        for (var band = 0; band < Bands; band++)
        {
            _heads[band] = [];
        }
    }

    /// <summary>Number of indexed chunks.</summary>
    public int Count => _live;

    /// <summary>Indexes a chunk; adding a chunk id again replaces its earlier entry.</summary>
    public void Add(string chunkId, string documentId, ulong simHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(chunkId);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var packed = TryPack(chunkId, out var key);
        if (packed ? RemovePackedId(key, out var old) : _slotByIrregularId.Remove(chunkId, out old))
        {
            Kill(old);
        }

        if (!_documentOrdinals.TryGetValue(documentId, out var document))
        {
            document = _documentIds.Count;
            _documentIds.Add(documentId);
            _documentOrdinals.Add(documentId, document);
        }

        if (!_slotsByDocument.TryGetValue(document, out var ofDocument))
        {
            ofDocument = [];
            _slotsByDocument.Add(document, ofDocument);
        }

        EnsureCapacity(_slots + 1);
        var slot = _slots++;
        _hashes[slot] = simHash;

        // Dead until its id is indexed, so an id-table rebuild on the way does not index it twice.
        _documents[slot] = Dead;
        if (packed)
        {
            _idPrefix[slot] = key.Prefix;
            _idHex[slot] = key.Hex;
            AddPackedId(slot);
        }
        else
        {
            _idPrefix[slot] = IrregularId;
            _irregularIdBySlot.Add(slot, chunkId);
            _slotByIrregularId.Add(chunkId, slot);
        }

        _documents[slot] = document;

        Link(slot);
        ofDocument.Add(slot);
        _live++;
    }

    /// <summary>Indexes a stored chunk's fingerprint.</summary>
    public void Add(ChunkFingerprint fingerprint) => Add(fingerprint.ChunkId, fingerprint.DocumentId, fingerprint.SimHash);

    /// <summary>Removes every chunk of <paramref name="documentId"/>; returns how many were removed.</summary>
    public int RemoveDocument(string documentId)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        if (!_documentOrdinals.Remove(documentId, out var document))
        {
            return 0;
        }

        _documentIds[document] = null;
        var removed = 0;
        if (_slotsByDocument.Remove(document, out var slots))
        {
            foreach (var slot in slots)
            {
                if (_documents[slot] != Dead)
                {
                    ForgetId(slot);
                    Kill(slot);
                    removed++;
                }
            }
        }

        CompactIfMostlyDead();
        return removed;
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
        var excluded = excludeDocumentId is not null && _documentOrdinals.TryGetValue(excludeDocumentId, out var ordinal) ? ordinal : Dead;
        var best = End;
        var bestDistance = int.MaxValue;
        for (var band = 0; band < Bands; band++)
        {
            if (!_heads[band].TryGetValue(BandValue(simHash, band), out var first))
            {
                continue;
            }

            for (var slot = first; slot != End; slot = _next[(slot * Bands) + band])
            {
                var document = _documents[slot];
                if (document == Dead || document == excluded)
                {
                    continue;
                }

                var distance = SimHasher.HammingDistance(simHash, _hashes[slot]);
                if (distance <= maxDistance && (distance < bestDistance || (distance == bestDistance && slot < best)))
                {
                    best = slot;
                    bestDistance = distance;
                }
            }
        }

        return best == End ? null : new NearDuplicateMatch(ChunkIdOf(best), _documentIds[_documents[best]]!, bestDistance);
    }

    private void Link(int slot)
    {
        var hash = _hashes[slot];
        for (var band = 0; band < Bands; band++)
        {
            ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_heads[band], BandValue(hash, band), out var exists);
            _next[(slot * Bands) + band] = exists ? head : End;
            head = slot;
        }
    }

    // Marks a slot dead; its chain links stay until the next compaction. Its id must already be forgotten.
    private void Kill(int slot)
    {
        _documents[slot] = Dead;
        _irregularIdBySlot.Remove(slot);
        _live--;
    }

    private void ForgetId(int slot)
    {
        if (_idPrefix[slot] == IrregularId)
        {
            _slotByIrregularId.Remove(_irregularIdBySlot[slot]);
        }
        else
        {
            RemovePackedId(new PackedChunkId(_idPrefix[slot], _idHex[slot]), out _);
        }
    }

    private void CompactIfMostlyDead()
    {
        var dead = _slots - _live;
        if (dead < MinCompactionSlots || dead < _live)
        {
            return;
        }

        // Live slots move down in order, so insertion order (and with it tie-breaking) is kept.
        var map = new int[_slots];
        var to = 0;
        for (var from = 0; from < _slots; from++)
        {
            if (_documents[from] == Dead)
            {
                map[from] = End;
                continue;
            }

            map[from] = to;
            _hashes[to] = _hashes[from];
            _documents[to] = _documents[from];
            _idPrefix[to] = _idPrefix[from];
            _idHex[to] = _idHex[from];
            to++;
        }

        _slots = to;
        foreach (var heads in _heads)
        {
            heads.Clear();
        }

        for (var slot = 0; slot < _slots; slot++)
        {
            Link(slot);
        }

        RebuildIdTable(_idTable.Length);

        var irregular = _irregularIdBySlot.ToList();
        _irregularIdBySlot.Clear();
        foreach (var (slot, id) in irregular)
        {
            _irregularIdBySlot.Add(map[slot], id);
            _slotByIrregularId[id] = map[slot];
        }

        foreach (var slots in _slotsByDocument.Values)
        {
            for (var i = 0; i < slots.Count; i++)
            {
                slots[i] = map[slots[i]];
            }

            slots.RemoveAll(s => s == End);
        }
    }

    private bool RemovePackedId(PackedChunkId key, out int slot)
    {
        var mask = _idTable.Length - 1;
        for (var i = IdHash(key) & mask; _idTable[i] != EmptyEntry; i = (i + 1) & mask)
        {
            var candidate = _idTable[i];
            if (candidate >= 0 && _idPrefix[candidate] == key.Prefix && _idHex[candidate] == key.Hex)
            {
                _idTable[i] = RemovedEntry;
                slot = candidate;
                return true;
            }
        }

        slot = End;
        return false;
    }

    // The slot's id must not be in the table yet.
    private void AddPackedId(int slot)
    {
        if ((_idTableUsed + 1) * 2 > _idTable.Length)
        {
            RebuildIdTable(Math.Max(_idTable.Length, NextPowerOfTwo(_live * 4)));
        }

        var mask = _idTable.Length - 1;
        var i = IdHash(new PackedChunkId(_idPrefix[slot], _idHex[slot])) & mask;
        while (_idTable[i] >= 0)
        {
            i = (i + 1) & mask;
        }

        if (_idTable[i] == EmptyEntry)
        {
            _idTableUsed++;
        }

        _idTable[i] = slot;
    }

    // Re-inserts every live packed id, dropping removal markers; slots must be current.
    private void RebuildIdTable(int capacity)
    {
        _idTable = NewIdTable(capacity);
        _idTableUsed = 0;
        for (var slot = 0; slot < _slots; slot++)
        {
            if (_documents[slot] != Dead && _idPrefix[slot] != IrregularId)
            {
                AddPackedId(slot);
            }
        }
    }

    private static int[] NewIdTable(int capacity)
    {
        var table = new int[capacity];
        Array.Fill(table, EmptyEntry);
        return table;
    }

    private static int NextPowerOfTwo(int value) => (int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(value, 64)));

    private static int IdHash(PackedChunkId key)
    {
        var mixed = ((ulong)key.Hex ^ (ulong)(key.Hex >> 64) ^ (ulong)key.Prefix) * 0x9E3779B97F4A7C15UL;
        return (int)(mixed >> 33);
    }

    private void EnsureCapacity(int slots)
    {
        if (slots <= _hashes.Length)
        {
            return;
        }

        var capacity = Math.Max(slots, _hashes.Length * 2);
        Array.Resize(ref _hashes, capacity);
        Array.Resize(ref _documents, capacity);
        Array.Resize(ref _idPrefix, capacity);
        Array.Resize(ref _idHex, capacity);
        Array.Resize(ref _next, capacity * Bands);
    }

    private string ChunkIdOf(int slot)
    {
        var prefix = _idPrefix[slot];
        if (prefix == IrregularId)
        {
            return _irregularIdBySlot[slot];
        }

        Span<char> hex = stackalloc char[HexLength];
        var value = _idHex[slot];
        for (var i = HexLength - 1; i >= 0; i--)
        {
            hex[i] = "0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }

        return string.Concat(_idPrefixes[prefix], "_", hex);
    }

    // Packs "prefix_" + 32 lower-case hex digits (a HanlinId) into a prefix ordinal and 128 bits.
    private bool TryPack(string chunkId, out PackedChunkId key)
    {
        key = default;
        var separator = chunkId.Length - HexLength - 1;
        if (separator < 1 || chunkId[separator] != '_')
        {
            return false;
        }

        var hex = chunkId.AsSpan(separator + 1);
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        var prefixText = chunkId.AsSpan(0, separator);
        var prefix = -1;
        for (var i = 0; i < _idPrefixes.Count; i++)
        {
            if (prefixText.SequenceEqual(_idPrefixes[i]))
            {
                prefix = i;
                break;
            }
        }

        if (prefix < 0)
        {
            if (_idPrefixes.Count == MaxPackedPrefixes)
            {
                return false;
            }

            prefix = _idPrefixes.Count;
            _idPrefixes.Add(prefixText.ToString());
        }

        key = new PackedChunkId(prefix, UInt128.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return true;
    }

    private static ushort BandValue(ulong simHash, int band) => (ushort)(simHash >> (band * BandBits));
}
