using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using Hanlin.Core.Errors;

namespace Hanlin.Retrieval.Vectors;

/// <summary>
/// In-process approximate nearest-neighbour index over unit-normalised vectors (cosine similarity), after
/// Malkov &amp; Yashunin, "Efficient and robust approximate nearest neighbor search using Hierarchical
/// Navigable Small World graphs" (2016): layered graph, heuristic neighbour selection (their algorithm 4).
/// Vectors live in one contiguous <c>float[]</c> (row <c>i</c> at <c>[i * Dimensions, (i + 1) * Dimensions)</c>)
/// and distances are SIMD dot products. Keys are chunk ids.
/// </summary>
/// <remarks>
/// Hand-written because no maintained pure-.NET HNSW package is available from the project's package
/// mirror, and the index must persist in a versioned format Hanlin controls.
/// Deletes are tombstones: a deleted node still routes searches but is never returned; <see cref="Compact"/>
/// rebuilds the graph without them. Inserts and deletes take a write lock; searches share a read lock,
/// so any number of searches run concurrently.
/// </remarks>
public sealed class HnswIndex : IDisposable
{
    private const int FormatVersion = 1;
    private const int MaxLevelCap = 16;
    private static readonly byte[] Magic = "HNLNHNSW"u8.ToArray();
    private static readonly byte[] Trailer = "HNSWEND."u8.ToArray();

    private readonly HnswOptions _options;
    private readonly int _maxLinks0;
    private readonly double _levelMultiplier;
    private readonly Random _random;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly ConcurrentBag<SearchScratch> _scratch = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    private float[] _vectors;
    private string[] _keys;
    private bool[] _deleted;
    private int[] _levels;

    // Layer 0 links of node i at [i * (_maxLinks0 + 1)]: a count, then up to _maxLinks0 ids.
    private int[] _layer0;

    // Links on layers 1..level of node i, each layer a block of (M + 1): a count, then up to M ids.
    private int[]?[] _upper;
    private int _count;
    private int _deletedCount;
    private int _entryPoint = -1;
    private int _maxLevel = -1;

    /// <summary>Creates an empty index for vectors of <paramref name="dimensions"/> components.</summary>
    public HnswIndex(int dimensions, HnswOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        _options = options ?? new HnswOptions();
        _options.Validate();
        Dimensions = dimensions;
        _maxLinks0 = _options.M * 2;
        _levelMultiplier = 1.0 / Math.Log(_options.M);
        _random = new Random(_options.Seed);
        const int initialCapacity = 1024;
        _vectors = new float[initialCapacity * dimensions];
        _keys = new string[initialCapacity];
        _deleted = new bool[initialCapacity];
        _levels = new int[initialCapacity];
        _layer0 = new int[initialCapacity * (_maxLinks0 + 1)];
        _upper = new int[initialCapacity][];
    }

    /// <summary>Components per vector.</summary>
    public int Dimensions { get; }

    /// <summary>The options the index was built with.</summary>
    public HnswOptions Options => _options;

    /// <summary>Number of live (searchable) vectors.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _count - _deletedCount;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Tombstoned nodes still held in the graph; <see cref="Compact"/> drops them.</summary>
    public int DeletedCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _deletedCount;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Whether <paramref name="key"/> is indexed (and not deleted).</summary>
    public bool Contains(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _lock.EnterReadLock();
        try
        {
            return _ids.ContainsKey(key);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Copies the stored (unit-normalised) vector of <paramref name="key"/>; false when absent.</summary>
    public bool TryGetVector(string key, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Dimensions, nameof(destination));
        _lock.EnterReadLock();
        try
        {
            if (!_ids.TryGetValue(key, out var id))
            {
                return false;
            }

            Vector(id).CopyTo(destination);
            return true;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Inserts <paramref name="vector"/> under <paramref name="key"/>, replacing an existing vector with that
    /// key. The vector is normalised to unit length; a zero or non-finite vector is rejected.
    /// </summary>
    /// <exception cref="HanlinException">The vector has the wrong length, is zero, or has NaN/infinite components.</exception>
    public void Add(string key, ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(key);
        var normalised = Normalise(key, vector);
        _lock.EnterWriteLock();
        try
        {
            if (_ids.TryGetValue(key, out var existing))
            {
                MarkDeleted(existing);
            }

            Insert(key, normalised);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Deletes the vector of <paramref name="key"/>; false when it was not indexed.</summary>
    public bool Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _lock.EnterWriteLock();
        try
        {
            if (!_ids.TryGetValue(key, out var id))
            {
                return false;
            }

            MarkDeleted(id);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Rebuilds the graph from live vectors only, reclaiming tombstones' memory and restoring the graph's
    /// quality after many deletes. Cost is that of re-inserting every live vector.
    /// </summary>
    public void Compact()
    {
        _lock.EnterWriteLock();
        try
        {
            var liveIds = Enumerable.Range(0, _count).Where(i => !_deleted[i]).ToArray();
            var vectors = _vectors;
            var keys = _keys;
            Reset(Math.Max(1024, liveIds.Length));
            foreach (var id in liveIds)
            {
                Insert(keys[id], vectors.AsSpan(id * Dimensions, Dimensions));
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The <paramref name="k"/> vectors most similar to <paramref name="query"/> (cosine), best first,
    /// among those whose key passes <paramref name="filter"/> when one is given.
    /// </summary>
    /// <exception cref="HanlinException">The query has the wrong length, is zero, or is not finite.</exception>
    public IReadOnlyList<VectorHit> Search(
        ReadOnlySpan<float> query,
        int k,
        Func<string, bool>? filter = null,
        VectorSearchMode mode = VectorSearchMode.Auto,
        int? efSearch = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var normalised = Normalise("query", query);
        _lock.EnterReadLock();
        try
        {
            var live = _count - _deletedCount;
            if (live == 0)
            {
                return [];
            }

            var exact = mode == VectorSearchMode.Exact
                || (mode == VectorSearchMode.Auto && live < _options.ExactSearchThreshold);
            if (exact)
            {
                return ExactSearch(normalised, k, filter);
            }

            var ef = Math.Max(efSearch ?? _options.EfSearch, k);
            if (filter is not null)
            {
                ef *= _options.FilteredEfMultiplier;
            }

            var hits = GraphSearch(normalised, k, ef, filter);

            // A selective filter can leave the graph walk short of k matches; only a scan can then tell
            // whether more exist.
            return filter is not null && hits.Count < k && hits.Count < live ? ExactSearch(normalised, k, filter) : hits;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Writes the index to <paramref name="path"/> atomically: a temporary file in the same directory is
    /// written, flushed to disk, then renamed over the target, so a crash leaves the old file or the new one.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        _lock.EnterReadLock();
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
                {
                    WriteTo(writer);
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new HanlinException(ErrorCodes.Internal, $"The vector index could not be saved to '{path}': {ex.Message}", ex);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Loads an index written by <see cref="Save"/>. The graph's <c>M</c> comes from the file; search-time
    /// settings (ef, exact threshold) come from <paramref name="options"/> when given.
    /// </summary>
    /// <exception cref="HanlinException">The file is missing, truncated, corrupt or of an unknown version.</exception>
    public static HnswIndex Load(string path, HnswOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            return ReadFrom(reader, path, options);
        }
        catch (FileNotFoundException ex)
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The vector index '{path}' does not exist.", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new HanlinException(ErrorCodes.StorageCorrupt, $"The vector index '{path}' is truncated; rebuild it from storage.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.StorageCorrupt, $"The vector index '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private ReadOnlySpan<float> Vector(int id) => _vectors.AsSpan(id * Dimensions, Dimensions);

    private float Distance(ReadOnlySpan<float> query, int id) => 1f - TensorPrimitives.Dot(query, Vector(id));

    private Span<int> Links(int id, int level) =>
        level == 0
            ? _layer0.AsSpan(id * (_maxLinks0 + 1), _maxLinks0 + 1)
            : _upper[id].AsSpan((level - 1) * (_options.M + 1), _options.M + 1);

    private float[] Normalise(string what, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The vector for '{what}' has {vector.Length} dimensions; the index holds {Dimensions}.");
        }

        var norm = TensorPrimitives.Norm(vector);
        if (!float.IsFinite(norm) || norm == 0f)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The vector for '{what}' is zero or has non-finite components.");
        }

        var result = new float[Dimensions];
        TensorPrimitives.Divide(vector, norm, result);
        return result;
    }

    private void MarkDeleted(int id)
    {
        _deleted[id] = true;
        _deletedCount++;
        _ids.Remove(_keys[id]);
    }

    private void Reset(int capacity)
    {
        _vectors = new float[capacity * Dimensions];
        _keys = new string[capacity];
        _deleted = new bool[capacity];
        _levels = new int[capacity];
        _layer0 = new int[capacity * (_maxLinks0 + 1)];
        _upper = new int[capacity][];
        _ids.Clear();
        _count = 0;
        _deletedCount = 0;
        _entryPoint = -1;
        _maxLevel = -1;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _keys.Length)
        {
            return;
        }

        var capacity = Math.Max(needed, _keys.Length * 2);
        Array.Resize(ref _vectors, capacity * Dimensions);
        Array.Resize(ref _keys, capacity);
        Array.Resize(ref _deleted, capacity);
        Array.Resize(ref _levels, capacity);
        Array.Resize(ref _layer0, capacity * (_maxLinks0 + 1));
        Array.Resize(ref _upper, capacity);
    }

    private int RandomLevel()
    {
        var level = (int)(-Math.Log(1.0 - _random.NextDouble()) * _levelMultiplier);
        return Math.Min(level, MaxLevelCap);
    }

    private void Insert(string key, ReadOnlySpan<float> vector)
    {
        if (_count > 0 && _count == _deletedCount)
        {
            // Only tombstones left: a fresh graph beats routing through nodes that can never be returned.
            Reset(_keys.Length);
        }

        EnsureCapacity(_count + 1);
        var id = _count++;
        vector.CopyTo(_vectors.AsSpan(id * Dimensions, Dimensions));
        _keys[id] = key;
        _deleted[id] = false;
        _ids[key] = id;
        var level = RandomLevel();
        _levels[id] = level;
        _layer0[id * (_maxLinks0 + 1)] = 0;
        _upper[id] = level == 0 ? null : new int[level * (_options.M + 1)];

        if (_entryPoint < 0)
        {
            _entryPoint = id;
            _maxLevel = level;
            return;
        }

        var query = Vector(id);
        var current = _entryPoint;
        var currentDistance = Distance(query, current);
        for (var l = _maxLevel; l > level; l--)
        {
            (current, currentDistance) = GreedyClosest(query, current, currentDistance, l);
        }

        var scratch = RentScratch();
        try
        {
            for (var l = Math.Min(level, _maxLevel); l >= 0; l--)
            {
                var candidates = SearchLayer(scratch, query, current, currentDistance, _options.EfConstruction, l, filter: null);
                var selected = SelectNeighbours(candidates, _options.M);
                var links = Links(id, l);
                links[0] = selected.Count;
                for (var i = 0; i < selected.Count; i++)
                {
                    links[i + 1] = selected[i].Id;
                }

                foreach (var (neighbour, distance) in selected)
                {
                    Connect(neighbour, id, distance, l);
                }

                if (candidates.Count > 0)
                {
                    (current, currentDistance) = candidates[0];
                }
            }
        }
        finally
        {
            _scratch.Add(scratch);
        }

        if (level > _maxLevel)
        {
            _entryPoint = id;
            _maxLevel = level;
        }
    }

    // Adds the reverse link neighbour -> id, pruning the neighbour's list with the heuristic when full.
    private void Connect(int neighbour, int id, float distance, int level)
    {
        var links = Links(neighbour, level);
        var capacity = links.Length - 1;
        var count = links[0];
        if (count < capacity)
        {
            links[count + 1] = id;
            links[0] = count + 1;
            return;
        }

        var candidates = new List<(int Id, float Distance)>(capacity + 1) { (id, distance) };
        var origin = Vector(neighbour);
        for (var i = 1; i <= count; i++)
        {
            candidates.Add((links[i], Distance(origin, links[i])));
        }

        candidates.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
        var kept = SelectNeighbours(candidates, capacity);
        links[0] = kept.Count;
        for (var i = 0; i < kept.Count; i++)
        {
            links[i + 1] = kept[i].Id;
        }
    }

    // Heuristic selection: keep a candidate only if it is closer to the base than to every neighbour
    // already kept, which spreads links across directions. Candidates must be sorted nearest first.
    private List<(int Id, float Distance)> SelectNeighbours(List<(int Id, float Distance)> candidates, int max)
    {
        if (candidates.Count <= max)
        {
            return candidates;
        }

        var selected = new List<(int Id, float Distance)>(max);
        foreach (var candidate in candidates)
        {
            var vector = Vector(candidate.Id);
            var keep = true;
            foreach (var chosen in selected)
            {
                if (Distance(vector, chosen.Id) < candidate.Distance)
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                selected.Add(candidate);
                if (selected.Count == max)
                {
                    break;
                }
            }
        }

        return selected;
    }

    private (int Id, float Distance) GreedyClosest(ReadOnlySpan<float> query, int current, float currentDistance, int level)
    {
        var improved = true;
        while (improved)
        {
            improved = false;
            var links = Links(current, level);
            for (var i = 1; i <= links[0]; i++)
            {
                var distance = Distance(query, links[i]);
                if (distance < currentDistance)
                {
                    currentDistance = distance;
                    current = links[i];
                    improved = true;
                }
            }
        }

        return (current, currentDistance);
    }

    // Best-first search of one layer (the paper's algorithm 2). Nodes failing the filter, and tombstones,
    // are traversed but not admitted to the result set. Returns results sorted nearest first.
    private List<(int Id, float Distance)> SearchLayer(
        SearchScratch scratch,
        ReadOnlySpan<float> query,
        int entry,
        float entryDistance,
        int ef,
        int level,
        Func<string, bool>? filter)
    {
        scratch.Begin(_count);
        var candidates = scratch.Candidates;
        var results = scratch.Results;
        scratch.Visit(entry);
        candidates.Enqueue(entry, entryDistance);
        var admitFilter = filter is not null || _deletedCount > 0;
        if (!admitFilter || Admits(entry, filter))
        {
            results.Enqueue(entry, -entryDistance);
        }

        var worst = results.Count > 0 ? entryDistance : float.MaxValue;
        while (candidates.TryDequeue(out var node, out var distance))
        {
            if (distance > worst && results.Count >= ef)
            {
                break;
            }

            var links = Links(node, level);
            for (var i = 1; i <= links[0]; i++)
            {
                var next = links[i];
                if (!scratch.Visit(next))
                {
                    continue;
                }

                var nextDistance = Distance(query, next);
                if (results.Count < ef || nextDistance < worst)
                {
                    candidates.Enqueue(next, nextDistance);
                    if (!admitFilter || Admits(next, filter))
                    {
                        results.Enqueue(next, -nextDistance);
                        if (results.Count > ef)
                        {
                            results.Dequeue();
                        }

                        results.TryPeek(out _, out var negativeWorst);
                        worst = -negativeWorst;
                    }
                }
            }
        }

        var found = new List<(int Id, float Distance)>(results.Count);
        while (results.TryDequeue(out var id, out var negative))
        {
            found.Add((id, -negative));
        }

        found.Reverse();
        return found;
    }

    private bool Admits(int id, Func<string, bool>? filter) => !_deleted[id] && (filter is null || filter(_keys[id]));

    private List<VectorHit> GraphSearch(ReadOnlySpan<float> query, int k, int ef, Func<string, bool>? filter)
    {
        var current = _entryPoint;
        var currentDistance = Distance(query, current);
        for (var l = _maxLevel; l > 0; l--)
        {
            (current, currentDistance) = GreedyClosest(query, current, currentDistance, l);
        }

        var scratch = RentScratch();
        try
        {
            var found = SearchLayer(scratch, query, current, currentDistance, ef, 0, filter);
            var hits = new List<VectorHit>(Math.Min(k, found.Count));
            foreach (var (id, distance) in found)
            {
                if (hits.Count == k)
                {
                    break;
                }

                hits.Add(new VectorHit(_keys[id], 1f - distance, hits.Count + 1));
            }

            return hits;
        }
        finally
        {
            _scratch.Add(scratch);
        }
    }

    private List<VectorHit> ExactSearch(ReadOnlySpan<float> query, int k, Func<string, bool>? filter)
    {
        // Min-heap on similarity: the root is the worst of the best k so far.
        var best = new PriorityQueue<int, float>(k + 1);
        for (var id = 0; id < _count; id++)
        {
            if (_deleted[id] || (filter is not null && !filter(_keys[id])))
            {
                continue;
            }

            var similarity = TensorPrimitives.Dot(query, Vector(id));
            if (best.Count < k)
            {
                best.Enqueue(id, similarity);
            }
            else if (best.TryPeek(out _, out var worst) && similarity > worst)
            {
                best.DequeueEnqueue(id, similarity);
            }
        }

        var hits = new VectorHit[best.Count];
        for (var i = hits.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var id, out var similarity);
            hits[i] = new VectorHit(_keys[id], similarity, i + 1);
        }

        return [.. hits];
    }

    private SearchScratch RentScratch() => _scratch.TryTake(out var scratch) ? scratch : new SearchScratch();

    private void WriteTo(BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(Dimensions);
        writer.Write(_options.M);
        writer.Write(_options.EfConstruction);
        writer.Write(_count);
        writer.Write(_entryPoint);
        writer.Write(_maxLevel);
        for (var id = 0; id < _count; id++)
        {
            writer.Write(_keys[id]);
            writer.Write(_deleted[id]);
            writer.Write(_levels[id]);
            writer.Write(MemoryMarshal.AsBytes(Vector(id)));
            for (var level = 0; level <= _levels[id]; level++)
            {
                var links = Links(id, level);
                writer.Write(links[0]);
                writer.Write(MemoryMarshal.AsBytes(links.Slice(1, links[0])));
            }
        }

        writer.Write(Trailer);
    }

    private static HnswIndex ReadFrom(BinaryReader reader, string path, HnswOptions? options)
    {
        HanlinException Corrupt(string problem) =>
            new(ErrorCodes.StorageCorrupt, $"The vector index '{path}' is corrupt ({problem}); rebuild it from storage.");

        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw Corrupt("not a Hanlin HNSW file");
        }

        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new HanlinException(ErrorCodes.SchemaTooNew, $"The vector index '{path}' has format version {version}; this Hanlin reads version {FormatVersion}.");
        }

        var dimensions = reader.ReadInt32();
        var m = reader.ReadInt32();
        var efConstruction = reader.ReadInt32();
        var count = reader.ReadInt32();
        var entryPoint = reader.ReadInt32();
        var maxLevel = reader.ReadInt32();
        if (dimensions is <= 0 or > 65_536 || m is < 2 or > 256 || count < 0 || entryPoint < -1 || entryPoint >= count
            || maxLevel is < -1 or > MaxLevelCap || (count > 0) != (entryPoint >= 0))
        {
            throw Corrupt("invalid header");
        }

        var index = new HnswIndex(dimensions, (options ?? new HnswOptions()) with { M = m, EfConstruction = efConstruction });
        index.EnsureCapacity(count);
        for (var id = 0; id < count; id++)
        {
            var key = reader.ReadString();
            var deleted = reader.ReadBoolean();
            var level = reader.ReadInt32();
            if (level is < 0 or > MaxLevelCap)
            {
                throw Corrupt($"node {id} has level {level}");
            }

            index._keys[id] = key;
            index._deleted[id] = deleted;
            index._levels[id] = level;
            index._upper[id] = level == 0 ? null : new int[level * (m + 1)];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(index._vectors.AsSpan(id * dimensions, dimensions)));
            for (var l = 0; l <= level; l++)
            {
                var links = index.Links(id, l);
                var linkCount = reader.ReadInt32();
                if (linkCount < 0 || linkCount >= links.Length)
                {
                    throw Corrupt($"node {id} has {linkCount} links on layer {l}");
                }

                links[0] = linkCount;
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(links.Slice(1, linkCount)));
                foreach (var link in links.Slice(1, linkCount))
                {
                    if ((uint)link >= (uint)count)
                    {
                        throw Corrupt($"node {id} links to missing node {link}");
                    }
                }
            }

            if (deleted)
            {
                index._deletedCount++;
            }
            else if (!index._ids.TryAdd(key, id))
            {
                throw Corrupt($"key '{key}' appears twice");
            }
        }

        if (!reader.ReadBytes(Trailer.Length).AsSpan().SequenceEqual(Trailer))
        {
            throw Corrupt("missing end marker");
        }

        index._count = count;
        index._entryPoint = entryPoint;
        index._maxLevel = maxLevel;
        return index;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stray temp file is harmless and replaced by the next save.
        }
    }
}
