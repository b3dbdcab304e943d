using System.Collections.Concurrent;
using System.Diagnostics;
using Hanlin.Core.Errors;
using Hanlin.Retrieval.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// The BM25 full-text index of chunks, persisted in one directory. Writes are visible to searches as
/// soon as the write call returns (near-real-time reopen); they are durable only after <see cref="Commit"/>.
/// Searches are thread-safe and run concurrently with writes. One instance owns the directory's write lock.
/// </summary>
public sealed class LuceneBm25Index : IDisposable
{
    internal const string IdField = "id";
    internal const string CollectionField = "collection";
    internal const string DocumentField = "document";
    internal const string TextField = "text";
    internal const string TitleField = "title";
    internal const string SectionField = "section";
    internal const string PageField = "page";
    internal const string TagField = "tag";
    internal const string UpdatedField = "updated";
    internal const string VersionField = "version";

    private const string CheckpointKey = "hanlin.checkpoint";

    private static readonly HashSet<string> HitFields = [IdField, CollectionField, DocumentField];

    // Distinct collection sets whose filters are kept; a server has few collections and fewer key scopes.
    private const int MaxCachedFilters = 256;

    private readonly ConcurrentDictionary<string, Filter> _collectionFilters = new(StringComparer.Ordinal);
    private readonly TermScoreBounds _scoreBounds = new();
    private long _maxScoreSearches;

    private readonly string _path;
    private readonly LexicalIndexOptions _options;
    private readonly HanlinAnalyzer _analyzer;
    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly System.Threading.Lock _mergeGate = new();
    private readonly Timer? _idleMerge;
    private long _lastWrite;
    private bool _mergedSinceWrite;
    private bool _disposed;

    // Fields reused by single-threaded replacements; those come from one writer at a time (LuceneChunkIndex's gate).
    private ChunkDocumentFields? _serialFields;

    /// <summary>
    /// Opens the index in <paramref name="path"/>, creating it when absent.
    /// </summary>
    /// <exception cref="HanlinException">The index is corrupt, from an unknown format, or locked by another process.</exception>
    public LuceneBm25Index(string path, HanlinAnalyzer? analyzer = null, LexicalIndexOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path;
        _options = options ?? new LexicalIndexOptions();
        _analyzer = analyzer ?? new HanlinAnalyzer();
        var similarity = new BM25Similarity();
        try
        {
            (_directory, _writer) = OpenWriter(path, _analyzer, similarity, _options);
        }
        catch (Exception ex) when (IsTornCommit(ex))
        {
            // The index is derived data: storage is the truth and the start-up repair re-indexes from it. A commit torn by
            // a crash (kill -9 or power loss while segments_N was written, before any earlier commit existed to fall back
            // to) therefore costs a re-index, not the user's intervention. The torn files are kept aside for diagnosis.
            var aside = $"{path.TrimEnd(System.IO.Path.DirectorySeparatorChar)}.corrupt-{DateTime.UtcNow:yyyyMMddHHmmss}";
            System.IO.Directory.Move(path, aside);
            RecoveredFrom = $"{ex.Message} (the damaged index was moved to '{aside}')";
            (_directory, _writer) = OpenWriter(path, _analyzer, similarity, _options);
        }

        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new Bm25SearcherFactory(similarity));
        _lastWrite = Stopwatch.GetTimestamp();
        if (_options.IdleMergeDelay > TimeSpan.Zero)
        {
            var period = _options.IdleMergeDelay / 2;
            _idleMerge = new Timer(_ => MergeWhenIdle(), null, period, period);
        }
    }

    /// <summary>
    /// Why the index on disk could not be opened and was started afresh (a commit torn by a crash), or null. The caller's
    /// repair from storage then re-indexes every chunk.
    /// </summary>
    public string? RecoveredFrom { get; }

    private static (LuceneDirectory Directory, IndexWriter Writer) OpenWriter(string path, HanlinAnalyzer analyzer, BM25Similarity similarity, LexicalIndexOptions options)
    {
        LuceneDirectory? directory = null;
        try
        {
            System.IO.Directory.CreateDirectory(path);
            directory = FSDirectory.Open(new DirectoryInfo(path));
            if (options.MemoryCacheMegabytes > 0)
            {
                directory = new MemoryCachedDirectory(directory, options.MemoryCacheMegabytes * 1024L * 1024L);
            }

            var config = new IndexWriterConfig(HanlinAnalyzer.Version, analyzer)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                Similarity = similarity,

                // Batches of a few MB of text are flushed by the per-batch refresh anyway; the larger buffer
                // only matters for rebuilds, which then write fewer, larger segments (less merging).
                RAMBufferSizeMB = 64,

                // Plain segment files, not compound ones: searches read them straight from the memory cache
                // (a compound file would be read through a slicer's extra buffer copy). A segment costs ~10 file
                // handles instead of 3, which the few segments of an index kept merged can afford.
                UseCompoundFile = false,
                MergePolicy = new TieredMergePolicy { NoCFSRatio = 0 },
            };
            return (directory, new IndexWriter(directory, config));
        }
        catch (LockObtainFailedException ex)
        {
            directory?.Dispose();
            throw new HanlinException(ErrorCodes.Internal, $"The lexical index '{path}' is locked by another process; only one Hanlin process may write it.", ex);
        }
        catch (Exception ex) when (ex is IndexFormatTooOldException or IndexFormatTooNewException)
        {
            directory?.Dispose();
            throw new HanlinException(ErrorCodes.StorageCorrupt, $"The lexical index '{path}' is of an unknown format; run 'hanlin index rebuild'.", ex);
        }
        catch (Exception ex) when (IsTornCommit(ex))
        {
            directory?.Dispose();
            throw;
        }
        catch (IOException ex)
        {
            directory?.Dispose();
            throw new HanlinException(ErrorCodes.StorageCorrupt, $"The lexical index '{path}' cannot be opened: {ex.Message}", ex);
        }
    }

    private static bool IsTornCommit(Exception ex) =>
        ex is CorruptIndexException or EndOfStreamException
        || (ex is IOException && ex.Message.Contains("read past EOF", StringComparison.Ordinal));

    /// <summary>The directory holding the index files.</summary>
    public string Path => _path;

    /// <summary>Number of live (not deleted) chunks visible to searches.</summary>
    public int Count => WithSearcher(s => s.IndexReader.NumDocs);

    /// <summary>
    /// The checkpoint stored with the last <see cref="Commit"/> (for instance storage's change sequence),
    /// or null. Repair-on-start compares it with storage to decide whether to re-verify.
    /// </summary>
    public string? Checkpoint =>
        _writer.CommitData is { } data && data.TryGetValue(CheckpointKey, out var value) ? value : null;

    /// <summary>Adds chunks, replacing any already indexed with the same chunk id.</summary>
    public void Upsert(IEnumerable<IndexedChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Write(() =>
        {
            foreach (var chunk in chunks)
            {
                _writer.UpdateDocument(new Term(IdField, chunk.ChunkId), new ChunkDocumentFields().Fill(chunk));
            }
        });
    }

    /// <summary>
    /// Replaces the chunks of several documents in one write: each document's indexed chunks are deleted
    /// (one term per document, not one per chunk), then the new chunks are analysed and added, on all cores
    /// when <paramref name="allCores"/> (the index writer takes documents from several threads at once), then
    /// searches are refreshed once. A refresh flushes a segment, so refreshing per document made tiny segments
    /// and merge work. The last replacement of a document in the list supersedes earlier ones. Without
    /// <paramref name="refresh"/> the chunks become searchable at the next <see cref="Refresh"/> (or any other write).
    /// </summary>
    /// <remarks>
    /// The writer that follows ingestion passes <paramref name="allCores"/> false: extraction and chunking already
    /// keep the other cores busy, and on 2 cores parallel adds only spun on the writer's per-thread locks and the
    /// thread pool (a third of indexing CPU in the 5 MB profile, docs/benchmarks.md).
    /// </remarks>
    internal void ReplaceDocuments(IReadOnlyList<(string DocumentId, IReadOnlyList<IndexedChunk> Chunks)> documents, bool refresh = true, bool allCores = true)
    {
        ArgumentNullException.ThrowIfNull(documents);
        Write(refresh, () =>
        {
            var latest = new Dictionary<string, IReadOnlyList<IndexedChunk>>(StringComparer.Ordinal);
            foreach (var (documentId, chunks) in documents)
            {
                latest[documentId] = chunks;
            }

            // A delete by term applies only to documents added before it, so deleting first is safe.
            foreach (var documentId in latest.Keys)
            {
                _writer.DeleteDocuments(new Term(DocumentField, documentId));
            }

            if (!allCores)
            {
                _serialFields ??= new ChunkDocumentFields();
                foreach (var chunk in latest.Values.SelectMany(c => c))
                {
                    _writer.AddDocument(_serialFields.Fill(chunk));
                }

                return;
            }

            IndexedChunk[] all = [.. latest.Values.SelectMany(c => c)];
            var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
            Parallel.ForEach(
                Partitioner.Create(0, all.Length, 64),
                options,
                () => new ChunkDocumentFields(),
                (range, _, fields) =>
                {
                    for (var i = range.Item1; i < range.Item2; i++)
                    {
                        _writer.AddDocument(fields.Fill(all[i]));
                    }

                    return fields;
                },
                _ => { });
        });
    }

    /// <summary>Makes every write so far visible to searches (a near-real-time reopen; not durable until <see cref="Commit"/>).</summary>
    internal void Refresh() => Write(refresh: true, () => { });

    /// <summary>Removes every chunk of a document.</summary>
    public void DeleteDocument(string documentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        Write(() => _writer.DeleteDocuments(new Term(DocumentField, documentId)));
    }

    /// <summary>Removes every chunk of a collection.</summary>
    public void DeleteCollection(string collectionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(collectionId);
        Write(() => _writer.DeleteDocuments(new Term(CollectionField, collectionId)));
    }

    /// <summary>Removes chunks by id; unknown ids are ignored.</summary>
    public void DeleteChunks(IEnumerable<string> chunkIds)
    {
        ArgumentNullException.ThrowIfNull(chunkIds);
        Write(() => _writer.DeleteDocuments([.. chunkIds.Select(id => new Term(IdField, id))]));
    }

    /// <summary>
    /// Blocks until background segment merges triggered by earlier writes have finished, so a bulk load is
    /// followed by steady-state search (merges compete with queries for the same cores).
    /// </summary>
    public void WaitForMerges()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _writer.WaitForMerges();
        _searchers.MaybeRefreshBlocking();
    }

    /// <summary>Bytes of segment files searches currently read from memory (see <see cref="LexicalIndexOptions.MemoryCacheMegabytes"/>).</summary>
    public long MemoryCachedBytes => _directory is MemoryCachedDirectory cached ? cached.CachedBytes : 0;

    /// <summary>Number of index segments a search visits (each costs a term lookup and a scorer per query term).</summary>
    public int SegmentCount => WithSearcher(s => s.IndexReader.Leaves.Count);

    /// <summary>
    /// Merges the index down to at most <paramref name="maxSegments"/> segments and makes the merged index visible.
    /// </summary>
    public void Optimize(int maxSegments = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegments, 1);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_mergeGate)
        {
            try
            {
                _writer.ForceMerge(maxSegments, doWait: true);
                _searchers.MaybeRefreshBlocking();
            }
            catch (IOException ex)
            {
                throw new HanlinException(ErrorCodes.Internal, $"Merging the lexical index '{_path}' failed: {ex.Message}", ex);
            }
        }
    }

    // Every segment costs each query a term lookup and a scorer per query term (10 segments of a 100k-chunk index
    // took 60% more query CPU than one), while Lucene's merge policy leaves about ten. A knowledge base is written in
    // bursts and read in between, so once writes have paused for IdleMergeDelay the index is merged into one segment
    // and committed; above IdleMergeMaxMegabytes the policy's own merging is left alone (rewriting a large index
    // after every burst would cost more than it saves).
    private void MergeWhenIdle()
    {
        if (Volatile.Read(ref _disposed) || Volatile.Read(ref _mergedSinceWrite)
            || Stopwatch.GetElapsedTime(Volatile.Read(ref _lastWrite)) < _options.IdleMergeDelay
            || !_mergeGate.TryEnter())
        {
            return;
        }

        try
        {
            if (_disposed || SegmentCount <= 1 || IndexBytes() > _options.IdleMergeMaxMegabytes * 1024L * 1024L)
            {
                Volatile.Write(ref _mergedSinceWrite, true);
                return;
            }

            _writer.ForceMerge(1, doWait: true);
            _searchers.MaybeRefreshBlocking();
            _writer.Commit();
            Volatile.Write(ref _mergedSinceWrite, true);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A background optimisation only: a failed merge leaves the index as it was (Lucene merges atomically).
        }
        finally
        {
            _mergeGate.Exit();
        }
    }

    private long IndexBytes()
    {
        long total = 0;
        foreach (var file in _directory.ListAll())
        {
            try
            {
                total += _directory.FileLength(file);
            }
            catch (FileNotFoundException)
            {
                // Deleted by a merge while being listed.
            }
        }

        return total;
    }

    /// <summary>Removes everything (before a rebuild from storage).</summary>
    public void Clear() => Write(_writer.DeleteAll);

    /// <summary>Makes all writes so far durable, recording <paramref name="checkpoint"/> with them when given.</summary>
    public void Commit(string? checkpoint = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            if (checkpoint is not null)
            {
                _writer.SetCommitData(new Dictionary<string, string> { [CheckpointKey] = checkpoint });
            }

            _writer.Commit();
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.Internal, $"The lexical index '{_path}' could not be committed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Finds the <paramref name="topK"/> best chunks for a free-text query. The query is analysed, never
    /// parsed, so operators and brackets in user input are ordinary text and cannot fail the search.
    /// A query with no searchable terms (empty, punctuation, stop words) returns no hits unless
    /// <paramref name="context"/> has some: then the context is the query. Terms of <paramref name="context"/>
    /// (earlier turns of a conversation) that the query lacks add to the score at <see cref="LexicalIndexOptions.ContextBoost"/>.
    /// </summary>
    public IReadOnlyList<LexicalHit> Search(string query, SearchFilter? filter = null, int topK = 10, string? context = null) =>
        Search(query, filter, topK, context, _options.Scoring);

    /// <summary><see cref="Search(string, SearchFilter?, int, string?)"/> with the evaluator chosen by the caller (tests compare them).</summary>
    internal IReadOnlyList<LexicalHit> Search(string query, SearchFilter? filter, int topK, string? context, Bm25Scoring scoring)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(topK, _options.MaxTopK);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var terms = AnalyzeQuery(query, out var weights);
        Dictionary<string, float> contextWeights = [];
        var contextTerms = string.IsNullOrWhiteSpace(context) ? [] : AnalyzeQuery(context, out contextWeights);
        if (terms.Count == 0)
        {
            (terms, weights, contextTerms) = (contextTerms, contextWeights, []);
        }

        contextTerms.RemoveAll(terms.Contains);
        if (terms.Count == 0)
        {
            return [];
        }

        filter ??= SearchFilter.None;
        return WithSearcher(searcher =>
        {
            var plan = BuildTextPlan(terms, weights, searcher.IndexReader, 1f);
            var luceneFilter = ResolveFilter(filter, searcher.IndexReader);
            ScoreDoc[] top;

            // Context adds a third nesting level (query MUST, context SHOULD); it is rare enough to leave to Lucene.
            if (contextTerms.Count == 0 && scoring != Bm25Scoring.Lucene && PrunableBoosts())
            {
                top = MaxScoreSearch.Search(searcher, plan, luceneFilter, topK, _scoreBounds, tightBounds: scoring == Bm25Scoring.MaxScore);
                Interlocked.Increment(ref _maxScoreSearches);
            }
            else
            {
                Query textQuery = ToQuery(plan);
                if (contextTerms.Count > 0)
                {
                    textQuery = new BooleanQuery(disableCoord: true)
                    {
                        { textQuery, Occur.MUST },
                        { ToQuery(BuildTextPlan(contextTerms, contextWeights, searcher.IndexReader, _options.ContextBoost)), Occur.SHOULD },
                    };
                }

                Query luceneQuery = luceneFilter is null ? textQuery : new FilteredQuery(textQuery, luceneFilter);
                top = searcher.Search(luceneQuery, topK).ScoreDocs;
            }

            var hits = new List<LexicalHit>(top.Length);
            foreach (var scoreDoc in top)
            {
                var doc = searcher.Doc(scoreDoc.Doc, HitFields);
                hits.Add(new LexicalHit(doc.Get(IdField), doc.Get(DocumentField), doc.Get(CollectionField), scoreDoc.Score, hits.Count + 1));
            }

            return hits;
        });
    }

    /// <summary>Searches answered by the MaxScore evaluator rather than Lucene's scorers, for tests.</summary>
    internal long MaxScoreSearches => Interlocked.Read(ref _maxScoreSearches);

    // MaxScore's bounds assume every clause adds a non-negative score; odd boosts keep Lucene's path.
    private bool PrunableBoosts() => _options.TextBoost > 0 && _options.TitleBoost > 0 && _options.SectionBoost > 0;

    /// <summary>
    /// Ids of all indexed chunks passing <paramref name="filter"/>: the candidate set a vector search
    /// restricts itself to, so lexical and vector retrieval filter alike.
    /// </summary>
    public IReadOnlySet<string> MatchingChunkIds(SearchFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Query query = BuildFilterQuery(filter) is { } filterQuery ? filterQuery : new MatchAllDocsQuery();
        return WithSearcher(searcher =>
        {
            var collector = new DocIdCollector();
            searcher.Search(query, collector);
            var ids = new HashSet<string>(collector.DocIds.Count, StringComparer.Ordinal);
            var fields = new HashSet<string> { IdField };
            foreach (var docId in collector.DocIds)
            {
                ids.Add(searcher.Doc(docId, fields).Get(IdField));
            }

            return ids;
        });
    }

    /// <summary>
    /// Number of chunks whose text holds the analysed term <paramref name="term"/> (deleted chunks may still
    /// count until segments merge): the document frequency behind IDF weights of query terms.
    /// </summary>
    public int DocumentFrequency(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return WithSearcher(searcher => searcher.IndexReader.DocFreq(new Term(TextField, term)));
    }

    /// <summary>
    /// Live chunk count per document id, for repair-on-start to compare with storage.
    /// </summary>
    public IReadOnlyDictionary<string, int> CountChunksByDocument() => CountChunksByTerm(DocumentField);

    /// <summary>
    /// Live chunk count per stored document version id, for repair-on-start to spot a document whose current
    /// version the index missed although the chunk count is the same. Chunks indexed without a version id
    /// (by an older Hanlin) are not counted, so repair re-indexes them once.
    /// </summary>
    public IReadOnlyDictionary<string, int> CountChunksByVersion() => CountChunksByTerm(VersionField);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _idleMerge?.Dispose();
        lock (_mergeGate)
        {
            // An idle merge in progress finishes first; later ticks see the flag and do nothing.
            _disposed = true;
        }

        _searchers.Dispose();

        // Disposing the writer commits pending changes, as an orderly shutdown should.
        _writer.Dispose();
        _directory.Dispose();
    }

    private Dictionary<string, int> CountChunksByTerm(string field) => WithSearcher(searcher =>
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = searcher.IndexReader;
        var terms = MultiFields.GetTerms(reader, field);
        if (terms is null)
        {
            return counts;
        }

        var liveDocs = MultiFields.GetLiveDocs(reader);
        var termsEnum = terms.GetEnumerator();
        DocsEnum? docs = null;
        while (termsEnum.MoveNext())
        {
            docs = termsEnum.Docs(liveDocs, docs, DocsFlags.NONE);
            var count = 0;
            while (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
            {
                count++;
            }

            if (count > 0)
            {
                counts[termsEnum.Term.Utf8ToString()] = count;
            }
        }

        return counts;
    });

    // A domain-dictionary term (阿司匹林) is indexed whole and as its bigrams (阿司, 司匹, 匹林), so a chunk holding
    // the whole term matched it four times over (twelve clauses across the three fields), and "阿司匹林 出血" ranked any
    // chunk naming aspirin twice above the one about bleeding. In a query, the bigrams inside a whole term share one
    // term's weight between them (boost 1/k for k bigrams) instead of being dropped: chunks indexed before the term
    // was added to the dictionary have no whole-term token, and must still be found.
    private List<string> AnalyzeQuery(string query, out Dictionary<string, float> weights)
    {
        var tokens = new List<(string Text, int Start, int End, bool Whole)>();
        using var stream = _analyzer.GetTokenStream(TextField, query);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        var type = stream.AddAttribute<ITypeAttribute>();
        stream.Reset();
        var cap = _options.MaxQueryTerms * 4;
        while (tokens.Count < cap && stream.IncrementToken())
        {
            tokens.Add((term.ToString(), offset.StartOffset, offset.EndOffset, type.Type == DomainTermFilter.DictionaryTokenType));
        }

        stream.End();
        var wholeTerms = tokens.FindAll(t => t.Whole);
        var terms = new List<string>();
        weights = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            var weight = 1f;
            var inside = token.Whole ? -1 : wholeTerms.FindIndex(w => w.Start <= token.Start && token.End <= w.End);
            if (inside >= 0)
            {
                // A term of n characters has n - 1 bigrams.
                weight = 1f / Math.Max(1, wholeTerms[inside].End - wholeTerms[inside].Start - 1);
            }

            if (weights.TryGetValue(token.Text, out var seen))
            {
                weights[token.Text] = Math.Max(seen, weight);
            }
            else if (terms.Count < _options.MaxQueryTerms)
            {
                terms.Add(token.Text);
                weights[token.Text] = weight;
            }
        }

        return terms;
    }

    // Summing per-field BM25 scores is what a multi-field OR query does; the boosts weight the fields.
    // Common terms (in more than CommonTermRatio of chunks) only add score to chunks that match a rarer
    // query term, as Lucene's CommonTermsQuery does: ranking barely changes, but scoring no longer walks
    // the long posting lists of words like 的/数据/report for every chunk, which dominated tail latency.
    // Common terms score the text field only: their title and section clauses doubled the work of a query
    // (p99 24 ms → 13 ms on 100k chunks, docs/benchmarks.md) for almost no ranking signal, since a term in
    // over 5% of chunks has a small IDF; rare terms keep all three fields and their boosts.
    private TextQueryPlan BuildTextPlan(List<string> terms, Dictionary<string, float> weights, IndexReader reader, float boost)
    {
        var numDocs = reader.NumDocs;
        var rare = new List<TextClause>();
        var common = new List<TextClause>();
        var commonTerms = new List<(string Text, TermContext States)>();
        foreach (var text in terms)
        {
            // The term's per-segment states are looked up once, for the common-term test and for scoring.
            var term = new Term(TextField, text);
            var states = TermContext.Build(reader.Context, term);
            var isCommon = numDocs >= _options.CommonTermMinChunks && states.DocFreq > _options.CommonTermRatio * numDocs;
            if (isCommon)
            {
                commonTerms.Add((text, states));
            }
            else
            {
                AddFieldClauses(rare, reader, text, states, titleAndSection: true, boost * weights[text]);
            }
        }

        foreach (var (text, states) in commonTerms.OrderBy(t => t.States.DocFreq).Take(_options.MaxCommonTerms))
        {
            AddFieldClauses(common, reader, text, states, titleAndSection: false, boost * weights[text]);
        }

        return new TextQueryPlan(rare, common);
    }

    private static BooleanQuery ToQuery(TextQueryPlan plan)
    {
        var rare = Disjunction(plan.Rare);
        if (!plan.RequiresRare)
        {
            return plan.Rare.Count == 0 ? Disjunction(plan.Common) : rare;
        }

        var combined = new BooleanQuery(disableCoord: true) { { rare, Occur.MUST } };
        foreach (var clause in plan.Common)
        {
            combined.Add(new TermQuery(clause.Term, clause.States) { Boost = clause.Boost }, Occur.SHOULD);
        }

        return combined;
    }

    private static BooleanQuery Disjunction(IReadOnlyList<TextClause> clauses)
    {
        var query = new BooleanQuery(disableCoord: true);
        foreach (var clause in clauses)
        {
            query.Add(new TermQuery(clause.Term, clause.States) { Boost = clause.Boost }, Occur.SHOULD);
        }

        return query;
    }

    private void AddFieldClauses(List<TextClause> clauses, IndexReader reader, string text, TermContext textStates, bool titleAndSection, float boost)
    {
        clauses.Add(new TextClause(new Term(TextField, text), textStates, _options.TextBoost * boost));
        if (!titleAndSection)
        {
            return;
        }

        var title = new Term(TitleField, text);
        var section = new Term(SectionField, text);
        clauses.Add(new TextClause(title, TermContext.Build(reader.Context, title), _options.TitleBoost * boost));
        clauses.Add(new TextClause(section, TermContext.Build(reader.Context, section), _options.SectionBoost * boost));
    }

    // A filter of collections only (what a kb:<collection> chat and a key's access hook produce) is resolved once per
    // collection set and segment (CachingWrapperFilter keeps a bit set per segment core), instead of walking the
    // collection's postings in step with every query; and when the collections hold every indexed chunk (one
    // collection, the common case) the filter is dropped, since each chunk has exactly one collection term.
    private Filter? ResolveFilter(SearchFilter filter, IndexReader reader)
    {
        if (filter.IsEmpty)
        {
            return null;
        }

        var collectionsOnly = filter.CollectionIds is { Count: > 0 } ids && filter.DocumentIds is null
            && (filter.Tags is null || filter.Tags.Count == 0) && filter.UpdatedFrom is null && filter.UpdatedTo is null;
        if (!collectionsOnly)
        {
            return new QueryWrapperFilter(BuildFilterQuery(filter)!);
        }

        var distinct = filter.CollectionIds!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        long inCollections = 0;
        foreach (var id in distinct)
        {
            inCollections += reader.DocFreq(new Term(CollectionField, id));
        }

        if (inCollections >= reader.MaxDoc)
        {
            return null;
        }

        var key = string.Join('\n', distinct);
        if (_collectionFilters.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (_collectionFilters.Count >= MaxCachedFilters)
        {
            _collectionFilters.Clear();
        }

        return _collectionFilters.GetOrAdd(key, _ => new CachingWrapperFilter(new QueryWrapperFilter(BuildFilterQuery(filter)!)));
    }

    private static BooleanQuery? BuildFilterQuery(SearchFilter filter)
    {
        if (filter.IsEmpty)
        {
            return null;
        }

        var query = new BooleanQuery();
        AddAnyOf(query, CollectionField, filter.CollectionIds);
        AddAnyOf(query, DocumentField, filter.DocumentIds);
        if (filter.Tags is not null)
        {
            foreach (var (key, value) in filter.Tags)
            {
                query.Add(new TermQuery(new Term(TagField, TagTerm(key, value))), Occur.MUST);
            }
        }

        if (filter.UpdatedFrom is not null || filter.UpdatedTo is not null)
        {
            query.Add(
                NumericRangeQuery.NewInt64Range(
                    UpdatedField,
                    filter.UpdatedFrom?.ToUnixTimeMilliseconds(),
                    filter.UpdatedTo?.ToUnixTimeMilliseconds(),
                    minInclusive: true,
                    maxInclusive: true),
                Occur.MUST);
        }

        return query;
    }

    private static void AddAnyOf(BooleanQuery query, string field, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        // An empty list must match nothing; a MUST clause with no SHOULD children does exactly that.
        var anyOf = new BooleanQuery();
        foreach (var value in values.Distinct(StringComparer.Ordinal).Take(BooleanQuery.MaxClauseCount))
        {
            anyOf.Add(new TermQuery(new Term(field, value)), Occur.SHOULD);
        }

        query.Add(anyOf, Occur.MUST);
    }

    internal static string TagTerm(string key, string value) => string.Concat(key, "=", value);

    private void Write(Action write) => Write(refresh: true, write);

    private void Write(bool refresh, Action write)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Volatile.Write(ref _lastWrite, Stopwatch.GetTimestamp());
        Volatile.Write(ref _mergedSinceWrite, false);
        try
        {
            write();
            if (refresh)
            {
                _searchers.MaybeRefreshBlocking();
            }
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.Internal, $"Writing the lexical index '{_path}' failed: {ex.Message}", ex);
        }
        catch (AggregateException ex) when (ex.InnerException is IOException io)
        {
            // Parallel adds wrap the writer's failure.
            throw new HanlinException(ErrorCodes.Internal, $"Writing the lexical index '{_path}' failed: {io.Message}", io);
        }
    }

    private T WithSearcher<T>(Func<IndexSearcher, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var searcher = _searchers.Acquire();
        try
        {
            return read(searcher);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }
}
