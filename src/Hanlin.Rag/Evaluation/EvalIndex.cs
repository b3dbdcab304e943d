using Hanlin.Core.Documents;
using Hanlin.Rag.Search;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Analysis;
using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;
using Microsoft.Extensions.AI;

namespace Hanlin.Rag.Evaluation;

/// <summary>
/// An evaluation corpus indexed straight into a temporary BM25 index (and a vector index when an embedding
/// generator is given), one chunk per passage, with no ingestion pipeline: the passages are already clean
/// text. Also the <see cref="IKnowledgeSearch"/> over them, hydrating hits from memory instead of storage.
/// Deletes its directory on dispose.
/// </summary>
public sealed class EvalIndex : IKnowledgeSearch, IDisposable
{
    private const string CollectionId = "eval";

    private readonly string _directory;
    private readonly Dictionary<string, (Chunk Chunk, Document Document)> _passages = new(StringComparer.Ordinal);
    private readonly EmbeddingVectorIndex? _vectors;

    private EvalIndex(string directory, LuceneBm25Index lexical, EmbeddingVectorIndex? vectors)
    {
        _directory = directory;
        Lexical = lexical;
        _vectors = vectors;
        Retriever = new HybridRetriever(lexical, vectors);
    }

    /// <summary>The BM25 index.</summary>
    public LuceneBm25Index Lexical { get; }

    /// <summary>The retriever over the indexes.</summary>
    public HybridRetriever Retriever { get; }

    /// <summary>Whether vectors are indexed (vector and hybrid modes are real, not BM25 fallbacks).</summary>
    public bool HasVectors => _vectors is not null;

    /// <summary>Indexes <paramref name="corpus"/>; embeds it with <paramref name="embeddings"/> when given.</summary>
    public static async Task<EvalIndex> BuildAsync(
        IReadOnlyList<EvalPassage> corpus,
        HanlinAnalyzer analyzer,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(analyzer);
        var directory = Path.Combine(Path.GetTempPath(), "hanlin-eval", Guid.NewGuid().ToString("N"));
        var lexical = new LuceneBm25Index(Path.Combine(directory, "lexical"), analyzer);
        var vectors = embeddings is null ? null : new EmbeddingVectorIndex(embeddings, Path.Combine(directory, "vectors.hnsw"));
        var index = new EvalIndex(directory, lexical, vectors);
        try
        {
            var now = DateTimeOffset.UnixEpoch;
            var rows = new List<IndexedChunk>(corpus.Count);
            var ordinal = 0;
            foreach (var passage in corpus)
            {
                var documentId = passage.ContextId ?? passage.Id;
                var name = passage.Title ?? documentId;
                var document = new Document(documentId, CollectionId, name, "text/plain", passage.Text.Length, string.Empty, 1, documentId, DocumentStatus.Ready, 1, null, passage.Title, null, null, now, now);
                var chunk = new Chunk(
                    passage.Id, documentId, passage.Id, ordinal++, passage.Text, passage.Type ?? string.Empty, null, null, 0, passage.Text.Length,
                    Math.Max(1, passage.Text.Length / 3), ContentHash(passage.Text), 0, passage.Type == "table" ? ChunkKind.Table : ChunkKind.Paragraph);
                index._passages[passage.Id] = (chunk, document);

                // The title is left out of the indexed title field: in these sets it would hand the answer's article to BM25 for free.
                rows.Add(new IndexedChunk(passage.Id, CollectionId, documentId, string.Empty, null, string.Empty, passage.Text, null, null, new Dictionary<string, string>(), now));
            }

            lexical.Upsert(rows);
            lexical.Commit();
            if (vectors is not null)
            {
                await vectors.UpsertAsync(rows, cancellationToken).ConfigureAwait(false);
            }

            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<KnowledgeSearchResult> SearchAsync(KnowledgeSearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await Retriever.SearchAsync(
            new HybridQuery(request.Query) { Filter = request.Filter, TopK = request.TopK, Mode = request.Mode },
            cancellationToken).ConfigureAwait(false);
        var hits = new List<KnowledgeSearchHit>(result.Hits.Count);
        foreach (var hit in result.Hits)
        {
            if (_passages.TryGetValue(hit.ChunkId, out var passage))
            {
                hits.Add(new KnowledgeSearchHit(hits.Count + 1, hit.Score, passage.Chunk, passage.Document, hit.Explanation));
            }
        }

        return new KnowledgeSearchResult(hits, result.ModeUsed, result.Notice);
    }

    // As ingestion hashes chunk text, so the context assembler drops identical passages here too.
    private static string ContentHash(string text) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <inheritdoc />
    public void Dispose()
    {
        _vectors?.Dispose();
        Lexical.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder must not fail the evaluation.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
