using Hanlin.Core.Identity;
using Hanlin.Ingestion.Dedup;

namespace Hanlin.Ingestion.Tests.Dedup;

public sealed class NearDuplicateIndexTests
{
    [Fact]
    public void A_near_duplicate_chunk_of_another_document_is_found_with_its_distance()
    {
        var index = new NearDuplicateIndex();
        index.Add("c1", "leaflet-2021", SimHasher.Compute(SimHasherTests.Metformin));
        index.Add("c2", "leaflet-2021", SimHasher.Compute(SimHasherTests.Insulin));
        var reissued = SimHasherTests.Metformin.Replace("12 March 2021", "12 April 2021", StringComparison.Ordinal);
        var query = SimHasher.Compute(reissued);

        var match = index.FindNearest(query, maxDistance: 3, excludeDocumentId: "leaflet-2023");

        Assert.NotNull(match);
        Assert.Equal("c1", match.ChunkId);
        Assert.Equal("leaflet-2021", match.DocumentId);
        Assert.Equal(SimHasher.HammingDistance(query, SimHasher.Compute(SimHasherTests.Metformin)), match.Distance);
    }

    [Fact]
    public void The_closest_entry_wins_and_ties_go_to_the_earliest_added()
    {
        var index = new NearDuplicateIndex();
        const ulong query = 0xFFFF_0000_FFFF_0000UL;
        index.Add("far", "d1", query ^ 0b111);
        index.Add("near-first", "d2", query ^ 0b1);
        index.Add("near-second", "d3", query ^ 0b10);

        Assert.Equal(new NearDuplicateMatch("near-first", "d2", 1), index.FindNearest(query, 3));
    }

    [Fact]
    public void Chunks_of_the_excluded_document_and_of_removed_documents_are_not_returned()
    {
        var index = new NearDuplicateIndex();
        const ulong hash = 0x0123_4567_89AB_CDEFUL;
        index.Add("a1", "doc-a", hash);
        index.Add("b1", "doc-b", hash ^ 0b1);

        Assert.Equal("b1", index.FindNearest(hash, 3, excludeDocumentId: "doc-a")?.ChunkId);
        Assert.Equal(1, index.RemoveDocument("doc-b"));
        Assert.Null(index.FindNearest(hash, 3, excludeDocumentId: "doc-a"));
        Assert.Equal(1, index.RemoveDocuments(["doc-a", "doc-missing"]));
        Assert.Equal(0, index.Count);
        Assert.Null(index.FindNearest(hash, 0));
    }

    [Fact]
    public void Nothing_beyond_the_maximum_distance_is_returned()
    {
        var index = new NearDuplicateIndex();
        index.Add("c", "d", 0b1111UL);

        Assert.Null(index.FindNearest(0UL, 3));
        Assert.Equal(3, index.FindNearest(0b1000UL, 3)?.Distance);
        Assert.Null(index.FindNearest(0b1000UL, 2));
    }

    [Fact]
    public void Adding_a_chunk_id_again_replaces_its_entry()
    {
        var index = new NearDuplicateIndex();
        index.Add("c", "d1", 0UL);
        index.Add("c", "d2", ulong.MaxValue);

        Assert.Equal(1, index.Count);
        Assert.Null(index.FindNearest(0UL, 3));
        Assert.Equal("d2", index.FindNearest(ulong.MaxValue, 0)?.DocumentId);
        Assert.Equal(0, index.RemoveDocument("d1"));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    public void A_distance_the_four_bands_cannot_answer_is_rejected(int maxDistance)
    {
        var index = new NearDuplicateIndex();

        Assert.Throws<ArgumentOutOfRangeException>(() => index.FindNearest(0UL, maxDistance));
    }

    [Fact]
    public void Among_a_hundred_thousand_entries_every_planted_near_duplicate_is_found_exactly_as_a_full_scan_would()
    {
        var random = new Random(42);
        var index = new NearDuplicateIndex();
        var hashes = new ulong[100_000];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
            index.Add($"c{i}", $"d{i / 10}", hashes[i]);
        }

        for (var q = 0; q < 200; q++)
        {
            var target = random.Next(hashes.Length);
            var flips = random.Next(0, 4);
            var query = hashes[target];
            for (var f = 0; f < flips; f++)
            {
                query ^= 1UL << random.Next(64);
            }

            var expected = hashes.Select((h, i) => (Distance: SimHasher.HammingDistance(h, query), Index: i)).Where(x => x.Distance <= 3).OrderBy(x => x.Distance).ThenBy(x => x.Index).First();
            var match = index.FindNearest(query, 3);

            Assert.NotNull(match);
            Assert.Equal($"c{expected.Index}", match.ChunkId);
            Assert.Equal(expected.Distance, match.Distance);
        }
    }

    [Fact]
    public void Storage_chunk_ids_are_returned_exactly_as_they_were_added()
    {
        var index = new NearDuplicateIndex();
        var ids = Enumerable.Range(0, 50).Select(_ => HanlinId.New(HanlinId.ChunkPrefix)).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            index.Add(ids[i], "doc_" + (i % 3), (ulong)i << 20);
        }

        index.Add("chk_" + new string('F', 32), "upper-case hex is not the storage form", 1UL << 60);

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(new NearDuplicateMatch(ids[i], "doc_" + (i % 3), 0), index.FindNearest((ulong)i << 20, 0));
        }

        Assert.Equal("chk_" + new string('F', 32), index.FindNearest(1UL << 60, 0)?.ChunkId);
    }

    [Fact]
    public void After_most_documents_are_removed_the_rest_are_found_as_before_with_ties_to_the_earliest_added()
    {
        var index = new NearDuplicateIndex();
        const ulong shared = 0xABCD_0000_1234_0000UL;
        for (var d = 0; d < 100; d++)
        {
            for (var c = 0; c < 100; c++)
            {
                // Every chunk is at distance 1 from `shared` except the last of each document.
                var hash = c < 99 ? shared ^ (1UL << (c % 64)) : (ulong)((d * 100) + c) << 32;
                index.Add($"d{d}-c{c}", $"d{d}", hash);
            }
        }

        Assert.Equal(9_000, index.RemoveDocuments(Enumerable.Range(0, 90).Select(d => $"d{d}")));

        Assert.Equal(1_000, index.Count);
        Assert.Equal(new NearDuplicateMatch("d90-c0", "d90", 1), index.FindNearest(shared, 3));
        Assert.Equal(new NearDuplicateMatch("d91-c0", "d91", 1), index.FindNearest(shared, 3, excludeDocumentId: "d90"));
        Assert.Equal("d95-c99", index.FindNearest((ulong)9599 << 32, 0)?.ChunkId);
        Assert.Null(index.FindNearest((ulong)599 << 32, 0));
        index.Add("d5-c99", "d5", (ulong)599 << 32);
        Assert.Equal(new NearDuplicateMatch("d5-c99", "d5", 0), index.FindNearest((ulong)599 << 32, 0));
    }

    [Fact]
    public void Storage_chunk_ids_stay_unique_through_growth_replacement_and_compaction()
    {
        var index = new NearDuplicateIndex();
        var ids = Enumerable.Range(0, 12_000).Select(_ => HanlinId.New(HanlinId.ChunkPrefix)).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            index.Add(ids[i], $"doc{i / 1000}", (ulong)i << 24);
        }

        // The last document's chunks are re-added under another document with new hashes: replaced, not duplicated.
        for (var i = 11_000; i < ids.Length; i++)
        {
            index.Add(ids[i], "moved", ((ulong)i << 24) | 1);
        }

        Assert.Equal(12_000, index.Count);
        Assert.Equal(0, index.RemoveDocument("doc11"));
        Assert.Equal(9_000, index.RemoveDocuments(Enumerable.Range(0, 9).Select(d => $"doc{d}")));

        Assert.Equal(3_000, index.Count);
        Assert.Equal(new NearDuplicateMatch(ids[9_500], "doc9", 0), index.FindNearest((ulong)9_500 << 24, 0));
        Assert.Equal(new NearDuplicateMatch(ids[11_500], "moved", 0), index.FindNearest(((ulong)11_500 << 24) | 1, 0));
        Assert.Null(index.FindNearest((ulong)500 << 24, 0));
        index.Add(ids[9_500], "doc9", 42);
        Assert.Equal(3_000, index.Count);
        Assert.Equal(ids[9_500], index.FindNearest(42, 0)?.ChunkId);
        Assert.Null(index.FindNearest((ulong)9_500 << 24, 0));
    }
}
