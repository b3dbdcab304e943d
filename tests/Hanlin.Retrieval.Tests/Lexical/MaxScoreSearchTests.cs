using System.Globalization;
using Hanlin.Retrieval.Benchmarks;
using Hanlin.Retrieval.Lexical;

namespace Hanlin.Retrieval.Tests.Lexical;

/// <summary>
/// The MaxScore evaluator against Lucene's own scorers on one real index: same hits, same order, same scores, for
/// every query shape (rare terms, common terms, both), filter and top-k.
/// </summary>
public sealed class MaxScoreSearchTests : IDisposable
{
    // Float sums in another order; hits whose scores differ by less may swap places.
    private const double Tolerance = 1e-4;

    private static readonly int[] TopKs = [1, 5, 10, 37, 100, 1000];

    private static readonly string[] Collections = ["col_a", "col_b", "col_c", "col_d"];

    private static readonly SearchFilter[] Filters =
    [
        new() { CollectionIds = ["col_a"] },
        new() { CollectionIds = ["col_b", "col_d"] },
        new() { CollectionIds = Collections },
        new() { DocumentIds = [.. Enumerable.Range(0, 60).Select(i => Doc(i * 3))] },
        new() { Tags = new Dictionary<string, string> { ["kind"] = "guideline" } },
        new() { UpdatedFrom = TestChunks.BaseTime.AddDays(20), UpdatedTo = TestChunks.BaseTime.AddDays(45) },
        new() { CollectionIds = ["col_c"], Tags = new Dictionary<string, string> { ["kind"] = "label" } },
        new() { CollectionIds = ["col_none"] },
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void MaxScore_returns_Lucenes_hits_for_hundreds_of_queries_over_several_segments_with_deleted_and_updated_chunks()
    {
        var corpus = new SyntheticCorpus(seed: 11, vocabularySize: 3_000);
        using var index = BuildIndex(corpus);
        Assert.True(index.SegmentCount >= 3, $"{index.SegmentCount} segments");

        var queries = Queries(corpus, 420);
        var compared = 0;
        var withHits = 0;
        var full = 0;
        for (var i = 0; i < queries.Count; i++)
        {
            var topK = TopKs[i % TopKs.Length];
            foreach (var filter in new[] { null, Filters[i % Filters.Length] })
            {
                var expected = index.Search(queries[i], filter, topK, null, Bm25Scoring.Lucene);
                var actual = index.Search(queries[i], filter, topK, null, Bm25Scoring.MaxScore);
                AssertSameHits(expected, actual, topK, $"query '{queries[i]}', top {topK}, filter {filter}");
                compared++;
                withHits += expected.Count > 0 ? 1 : 0;
                full += expected.Count == topK ? 1 : 0;
            }
        }

        // Every comparison went through the evaluator (no silent fallback), and most of them had hits to compare.
        Assert.Equal(compared, index.MaxScoreSearches);
        Assert.True(withHits > compared * 0.7, $"{withHits} of {compared} searches had hits");
        Assert.True(full > compared / 3, $"{full} of {compared} searches filled their top-k");
    }

    [Fact]
    public void MaxScore_with_loose_term_bounds_returns_Lucenes_hits()
    {
        var corpus = new SyntheticCorpus(seed: 5, vocabularySize: 3_000);
        using var index = BuildIndex(corpus);

        var queries = Queries(corpus, 120);
        for (var i = 0; i < queries.Count; i++)
        {
            var topK = TopKs[i % TopKs.Length];
            var filter = i % 2 == 0 ? null : Filters[i % Filters.Length];
            var expected = index.Search(queries[i], filter, topK, null, Bm25Scoring.Lucene);
            var actual = index.Search(queries[i], filter, topK, null, Bm25Scoring.MaxScoreLooseBounds);
            AssertSameHits(expected, actual, topK, $"query '{queries[i]}', top {topK}, filter {filter}");
        }

        Assert.Equal(queries.Count, index.MaxScoreSearches);
    }

    [Fact]
    public void Searches_with_conversation_context_are_scored_by_Lucene_and_plain_searches_by_MaxScore()
    {
        var corpus = new SyntheticCorpus(seed: 3, vocabularySize: 3_000);
        using var index = BuildIndex(corpus);
        var word = corpus.Word();

        var withContext = index.Search(word, topK: 10, context: corpus.Query());
        Assert.Equal(0, index.MaxScoreSearches);

        var plain = index.Search(word, topK: 10);
        Assert.Equal(1, index.MaxScoreSearches);
        Assert.NotEmpty(withContext);
        Assert.NotEmpty(plain);
    }

    private LuceneBm25Index BuildIndex(SyntheticCorpus corpus)
    {
        // Common terms from 500 chunks on, so the rare-must/common-should shape occurs in a small index; no idle merge,
        // so the segments made by each write stay.
        var options = new LexicalIndexOptions { CommonTermMinChunks = 500, IdleMergeDelay = TimeSpan.Zero };
        var index = new LuceneBm25Index(_temp.File("lexical"), options: options);
        const int batches = 5;
        const int perBatch = 400;
        for (var b = 0; b < batches; b++)
        {
            index.Upsert([.. Enumerable.Range(b * perBatch, perBatch).Select(i => Chunk(corpus, i))]);
        }

        // Updates delete the old versions in earlier segments; deletions leave holes in them.
        index.Upsert([.. Enumerable.Range(0, 150).Select(i => Chunk(corpus, i * 13 % (batches * perBatch)))]);
        index.DeleteChunks([.. Enumerable.Range(0, 120).Select(i => Id(i * 17 % (batches * perBatch)))]);
        index.DeleteDocument(Doc(7));
        index.DeleteDocument(Doc(40));
        return index;
    }

    private static IndexedChunk Chunk(SyntheticCorpus corpus, int i) =>
        new(
            Id(i),
            Collections[i % Collections.Length],
            Doc(i / 10),
            $"document {i / 10}.pdf",

            // Title and section words of their own, so some queries match only those fields.
            i % 5 == 0 ? null : $"titlex{i % 50} {corpus.Text(3)}",
            i % 3 == 0 ? string.Empty : $"sectionx{i % 30} {corpus.Text(2)}",
            corpus.Text(10 + corpus.Next(60)),
            1,
            1,
            new Dictionary<string, string> { ["kind"] = i % 3 == 0 ? "guideline" : "label" },
            TestChunks.BaseTime.AddDays(i % 70));

    private static string Id(int i) => "chk_" + i.ToString(CultureInfo.InvariantCulture);

    private static string Doc(int i) => "doc_" + i.ToString(CultureInfo.InvariantCulture);

    // Queries of 1 to 8 words of every kind: Zipf-drawn mixes, only the most frequent words (common terms), frequent
    // with rare words, words absent from the index, title- and section-only words, Chinese and English alone.
    private static List<string> Queries(SyntheticCorpus corpus, int count)
    {
        var sample = Enumerable.Range(0, 20_000).Select(_ => corpus.Word()).CountBy(w => w).OrderByDescending(p => p.Value).ToList();
        var frequent = sample.Take(12).Select(p => p.Key).ToArray();
        var rare = sample.Where(p => p.Value <= 2).Select(p => p.Key).ToArray();
        var queries = new List<string>(count);
        for (var i = 0; queries.Count < count; i++)
        {
            string Pick(string[] words) => words[corpus.Next(words.Length)];
            string Zipf(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => corpus.Word()));
            queries.Add((i % 10) switch
            {
                0 => corpus.Query(),
                1 => Zipf(1),
                2 => Zipf(8),
                3 => string.Join(' ', Enumerable.Range(0, 1 + corpus.Next(3)).Select(_ => Pick(frequent))),
                4 => $"{Pick(frequent)} {Pick(rare)} {Pick(frequent)} {Pick(rare)}",
                5 => i % 20 == 5 ? "quuxzyplonk 未见词语" : $"quuxzyplonk {Zipf(2)}",
                6 => $"titlex{corpus.Next(50)} sectionx{corpus.Next(30)}",
                7 => $"sectionx{corpus.Next(30)} {Pick(frequent)}",
                8 => string.Join(' ', Enumerable.Range(0, 3 + corpus.Next(4)).Select(_ => corpus.Word()).Where(w => w[0] >= 0x80).DefaultIfEmpty("报告")),
                _ => string.Join(' ', Enumerable.Range(0, 2 + corpus.Next(5)).Select(_ => corpus.Word()).Where(w => w[0] < 0x80).DefaultIfEmpty("report")),
            });
        }

        return queries;
    }

    // Same hits in the same order with the same scores, except that hits whose scores differ by less than the tolerance
    // may swap places, and a hit tied within the tolerance with the k-th may be replaced by another such hit.
    private static void AssertSameHits(IReadOnlyList<LexicalHit> expected, IReadOnlyList<LexicalHit> actual, int topK, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} hits, Lucene {expected.Count}");
        var actualScores = actual.ToDictionary(h => h.ChunkId, h => h.Score, StringComparer.Ordinal);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Close(expected[i].Score, actual[i].Score), $"{what}: rank {i + 1} scores {actual[i].Score}, Lucene {expected[i].Score}");
            if (expected[i].ChunkId == actual[i].ChunkId)
            {
                continue;
            }

            if (actualScores.TryGetValue(expected[i].ChunkId, out var score))
            {
                Assert.True(Close(expected[i].Score, score), $"{what}: {expected[i].ChunkId} scores {score}, Lucene {expected[i].Score}");
            }
            else
            {
                Assert.True(
                    expected.Count == topK && Close(expected[i].Score, expected[^1].Score),
                    $"{what}: Lucene's rank {i + 1} {expected[i].ChunkId} ({expected[i].Score}) is missing and not tied with the k-th");
            }
        }
    }

    private static bool Close(float expected, float actual) =>
        Math.Abs(expected - actual) <= Tolerance * Math.Max(Math.Abs(expected), Math.Abs(actual));
}
