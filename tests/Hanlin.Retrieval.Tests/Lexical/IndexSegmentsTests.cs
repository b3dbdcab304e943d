using System.Globalization;
using Hanlin.Retrieval.Lexical;

namespace Hanlin.Retrieval.Tests.Lexical;

/// <summary>How the BM25 index keeps queries cheap: segments read from memory, merged once writes pause.</summary>
public sealed class IndexSegmentsTests : IDisposable
{
    private static readonly string[] Words =
        ["aspirin", "warfarin", "bleeding", "renal", "dose", "tablet", "fund", "bond", "yield", "risk", "阿司匹林", "华法林", "出血", "剂量", "基金", "债券"];

    private static readonly string[] Queries = ["aspirin bleeding", "华法林 出血", "fund yield risk", "剂量 tablet", "chunk 17"];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Searches_from_the_memory_cache_give_exactly_the_hits_read_from_disk()
    {
        using var cached = new LuceneBm25Index(_temp.File("cached"));
        using var disk = new LuceneBm25Index(_temp.File("disk"), options: new LexicalIndexOptions { MemoryCacheMegabytes = 0 });
        foreach (var batch in Batches(5, 40))
        {
            cached.Upsert(batch);
            disk.Upsert(batch);
        }

        Assert.True(cached.MemoryCachedBytes > 0);
        Assert.Equal(0, disk.MemoryCachedBytes);
        foreach (var query in Queries)
        {
            Assert.Equal(Describe(disk.Search(query, topK: 1000)), Describe(cached.Search(query, topK: 1000)));
        }
    }

    [Fact]
    public void The_memory_cache_stays_within_its_budget_and_larger_indexes_are_read_from_disk()
    {
        using var index = new LuceneBm25Index(_temp.File("lexical"), options: new LexicalIndexOptions { MemoryCacheMegabytes = 1 });
        foreach (var batch in Batches(4, 1_000, wordsPerChunk: 120))
        {
            index.Upsert(batch);
        }

        Assert.InRange(index.MemoryCachedBytes, 1, 1024 * 1024);
        Assert.Equal(20, index.Search("aspirin", topK: 20).Count);
    }

    [Fact]
    public void Once_writes_pause_the_index_is_merged_into_one_committed_segment_with_the_same_hits()
    {
        var path = _temp.File("lexical");
        var options = new LexicalIndexOptions { IdleMergeDelay = TimeSpan.FromMilliseconds(200) };
        Dictionary<string, string> before;
        using (var index = new LuceneBm25Index(path, options: options))
        {
            foreach (var batch in Batches(5, 40))
            {
                index.Upsert(batch);
            }

            index.Commit();
            Assert.True(index.SegmentCount > 1, "every refreshed upsert writes a segment");
            before = Queries.ToDictionary(q => q, q => Describe(index.Search(q, topK: 1000)));

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (index.SegmentCount > 1 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }

            Assert.Equal(1, index.SegmentCount);
            foreach (var query in Queries)
            {
                Assert.Equal(before[query], Describe(index.Search(query, topK: 1000)));
            }
        }

        using var reopened = new LuceneBm25Index(path, options: options with { IdleMergeDelay = TimeSpan.Zero });
        Assert.Equal(1, reopened.SegmentCount);
        Assert.Equal(before[Queries[0]], Describe(reopened.Search(Queries[0], topK: 1000)));
    }

    [Fact]
    public void Merging_drops_the_merged_away_segments_from_memory()
    {
        using var index = new LuceneBm25Index(_temp.File("lexical"), options: new LexicalIndexOptions { IdleMergeDelay = TimeSpan.Zero });
        foreach (var batch in Batches(6, 60))
        {
            index.Upsert(batch);
        }

        var beforeMerge = index.MemoryCachedBytes;
        index.Optimize();
        index.Commit();
        index.Search("aspirin", topK: 5);

        Assert.Equal(1, index.SegmentCount);
        var onDisk = Directory.GetFiles(index.Path, "_*").Sum(f => new FileInfo(f).Length);
        var files = Directory.GetFiles(index.Path, "_*").Length;

        // The cache rounds each file up to whole 1 KB buffers; holding the old segments too would double it.
        Assert.InRange(index.MemoryCachedBytes, 1, onDisk + (files * 1024L));
        Assert.True(beforeMerge > 0);
    }

    private static IEnumerable<IReadOnlyList<IndexedChunk>> Batches(int batches, int perBatch, int wordsPerChunk = 12)
    {
        var random = new Random(11);
        for (var b = 0; b < batches; b++)
        {
            var batch = new List<IndexedChunk>(perBatch);
            for (var i = 0; i < perBatch; i++)
            {
                var n = (b * perBatch) + i;
                var text = string.Join(' ', Enumerable.Range(0, wordsPerChunk).Select(_ => Words[random.Next(Words.Length)]))
                    + " chunk " + n.ToString(CultureInfo.InvariantCulture);
                batch.Add(TestChunks.Make("c" + n.ToString(CultureInfo.InvariantCulture), text, document: "d" + (n / 10).ToString(CultureInfo.InvariantCulture)));
            }

            yield return batch;
        }
    }

    // Every match (topK above the corpus size), ties in score ordered by id: Lucene breaks ties by internal doc id,
    // which a merge may renumber.
    private static string Describe(IReadOnlyList<LexicalHit> hits) =>
        string.Join("; ", hits.OrderByDescending(h => h.Score).ThenBy(h => h.ChunkId, StringComparer.Ordinal)
            .Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.ChunkId}:{h.Score:F5}")));
}
