using Hanlin.Core.Errors;
using Microsoft.Extensions.AI;

namespace Hanlin.Retrieval.Vectors;

/// <summary>
/// Chunk-level vector retrieval: embeds chunk texts and queries with an
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (a local model or an OpenAI-compatible endpoint)
/// and keeps the vectors in an <see cref="HnswIndex"/> keyed by chunk id. The index is created on the first
/// upsert, when the model's dimension becomes known, or loaded from <see cref="FilePath"/>.
/// </summary>
public sealed class EmbeddingVectorIndex : IDisposable
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly HnswOptions _options;
    private readonly int _batchSize;
    private readonly Lock _createLock = new();
    private HnswIndex? _index;

    /// <summary>
    /// Opens the vector index persisted at <paramref name="filePath"/> (loaded when the file exists).
    /// </summary>
    /// <exception cref="HanlinException">The file exists but is corrupt or of an unknown version.</exception>
    public EmbeddingVectorIndex(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        string filePath,
        HnswOptions? options = null,
        int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _generator = generator;
        _options = options ?? new HnswOptions();
        _batchSize = batchSize;
        FilePath = filePath;
        if (File.Exists(filePath))
        {
            _index = HnswIndex.Load(filePath, _options);
        }
    }

    /// <summary>Where <see cref="Save"/> writes the index.</summary>
    public string FilePath { get; }

    /// <summary>Live vectors indexed.</summary>
    public int Count => _index?.Count ?? 0;

    /// <summary>The underlying graph (null until the first vector arrives), e.g. for MMR's vector lookups.</summary>
    public HnswIndex? Index => _index;

    /// <summary>Embeds and indexes <paramref name="chunks"/>, replacing vectors of chunk ids already present.</summary>
    /// <exception cref="HanlinException">The model returned a wrong number of embeddings or a changed dimension.</exception>
    public async Task UpsertAsync(IEnumerable<IndexedChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        foreach (var batch in chunks.Chunk(_batchSize))
        {
            var embeddings = await _generator
                .GenerateAsync(batch.Select(c => c.Text), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (embeddings.Count != batch.Length)
            {
                throw new HanlinException(ErrorCodes.Internal, $"The embedding model returned {embeddings.Count} embeddings for {batch.Length} chunks.");
            }

            for (var i = 0; i < batch.Length; i++)
            {
                IndexFor(embeddings[i].Vector.Length).Add(batch[i].ChunkId, embeddings[i].Vector.Span);
            }
        }
    }

    /// <summary>Removes the vectors of <paramref name="chunkIds"/>; unknown ids are ignored.</summary>
    public void Remove(IEnumerable<string> chunkIds)
    {
        ArgumentNullException.ThrowIfNull(chunkIds);
        if (_index is not { } index)
        {
            return;
        }

        foreach (var chunkId in chunkIds)
        {
            index.Remove(chunkId);
        }

        // Tombstones still cost memory and graph quality; rebuild once they outnumber live vectors.
        if (index.DeletedCount > Math.Max(1_000, index.Count))
        {
            index.Compact();
        }
    }

    /// <summary>
    /// Embeds <paramref name="query"/> and returns the <paramref name="k"/> most similar chunks, restricted to
    /// chunk ids passing <paramref name="filter"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<VectorHit>> SearchAsync(
        string query,
        int k,
        Func<string, bool>? filter = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_index is not { } index || index.Count == 0 || string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var vector = await _generator.GenerateVectorAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false);
        return index.Search(vector.Span, k, filter);
    }

    /// <summary>Persists the index atomically to <see cref="FilePath"/> (nothing to do while empty).</summary>
    public void Save() => _index?.Save(FilePath);

    /// <inheritdoc />
    public void Dispose() => _index?.Dispose();

    private HnswIndex IndexFor(int dimensions)
    {
        lock (_createLock)
        {
            _index ??= new HnswIndex(dimensions, _options);
        }

        if (_index.Dimensions != dimensions)
        {
            throw new HanlinException(
                ErrorCodes.InvalidArgument,
                $"The embedding model produces {dimensions}-dimension vectors but the vector index '{FilePath}' holds {_index.Dimensions}; rebuild the index after changing models.");
        }

        return _index;
    }
}
