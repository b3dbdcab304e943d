using Hanlin.Core.Errors;
using Hanlin.Retrieval.Analysis;
using Hanlin.Retrieval.Lexical;

namespace Hanlin.Retrieval.Tests.Lexical;

public sealed class LuceneBm25IndexTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private LuceneBm25Index Open(DomainDictionary? dictionary = null) =>
        new(_temp.File("lexical"), new HanlinAnalyzer(dictionary ?? DomainDictionary.BuiltIn));

    private static readonly IndexedChunk[] MedicalCorpus =
    [
        TestChunks.Make("c1", "阿司匹林的禁忌：活动性消化道出血、对本品过敏者禁用，儿童病毒感染时慎用。", section: "说明书 > 禁忌"),
        TestChunks.Make("c2", "阿司匹林的用法用量：口服，一次0.5g，一日三次。", section: "说明书 > 用法用量"),
        TestChunks.Make("c3", "华法林的禁忌：妊娠期妇女禁用，出血倾向者禁用。", section: "说明书 > 禁忌"),
        TestChunks.Make("c4", "布洛芬用于缓解轻至中度疼痛，如头痛、关节痛。", section: "说明书 > 适应症"),
        TestChunks.Make("c5", "市盈率是股价与每股收益的比值，用于衡量估值水平。", collection: "col_fin"),
        TestChunks.Make("c6", "Aspirin interaction with warfarin increases bleeding risk.", section: "Interactions"),
    ];

    [Fact]
    public void A_commit_torn_by_a_crash_is_set_aside_and_the_index_starts_afresh_for_the_repair_from_storage()
    {
        using var dir = new TempDirectory();
        var path = dir.File("lexical");
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "segments_1"), [0x3f, 0xd7, 0x6c]); // the first bytes of a commit, then the kill
        File.WriteAllText(Path.Combine(path, "write.lock"), string.Empty);

        using var index = new LuceneBm25Index(path);

        Assert.NotNull(index.RecoveredFrom);
        Assert.Equal(0, index.Count);
        var aside = Assert.Single(Directory.GetDirectories(dir.Path, "lexical.corrupt-*"));
        Assert.True(File.Exists(Path.Combine(aside, "segments_1")));
    }

    [Fact]
    public void A_Chinese_query_finds_the_right_chunk_among_distractors()
    {
        using var index = Open();
        index.Upsert(MedicalCorpus);

        var hits = index.Search("阿司匹林 禁忌", topK: 5);

        Assert.Equal("c1", hits[0].ChunkId);
        Assert.Equal(1, hits[0].Rank);
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public void A_dictionary_term_matched_whole_outranks_its_bigrams_found_apart()
    {
        using var index = Open(DomainDictionary.FromTerms(["阿司匹林"]));
        index.Upsert(
        [
            TestChunks.Make("apart", "阿司令部今天发布通知，匹林先生出席会议。"),
            TestChunks.Make("whole", "阿司匹林是常用药。"),
        ]);

        var hits = index.Search("阿司匹林");

        Assert.Equal("whole", hits[0].ChunkId);
    }

    [Fact]
    public void A_dictionary_term_weighs_as_one_word_so_the_other_query_word_decides_the_ranking()
    {
        using var index = Open(DomainDictionary.FromTerms(["阿司匹林"]));
        index.Upsert(
        [
            TestChunks.Make("ingredients", "成分：本品主要成分为阿司匹林，每片含阿司匹林100 mg。", section: "阿司匹林说明书 > 成分"),
            TestChunks.Make("bleeding", "与华法林合用时出血风险明显增加，应监测出血征象。", section: "阿司匹林说明书 > 相互作用"),
            TestChunks.Make("usage", "阿司匹林肠溶片应整片吞服，阿司匹林不宜嚼碎。", section: "阿司匹林说明书 > 用法"),
            TestChunks.Make("indication", "阿司匹林用于降低心肌梗死复发的风险。", section: "阿司匹林说明书 > 适应症"),
            TestChunks.Make("storage", "阿司匹林应遮光，密封，在干燥处保存。", section: "阿司匹林说明书 > 贮藏"),
            TestChunks.Make("ibuprofen", "布洛芬用于缓解轻至中度疼痛。", section: "布洛芬说明书 > 适应症"),
            TestChunks.Make("paracetamol", "对乙酰氨基酚用于退热。", section: "对乙酰氨基酚说明书 > 适应症"),
        ]);

        var hits = index.Search("阿司匹林 出血", topK: 5);

        Assert.Equal("bleeding", hits[0].ChunkId);
    }

    [Fact]
    public void A_chunk_indexed_before_a_term_joined_the_dictionary_is_still_found_by_its_bigrams()
    {
        var path = _temp.File("lexical-old");
        using (var before = new LuceneBm25Index(path, new HanlinAnalyzer(DomainDictionary.FromTerms([]))))
        {
            before.Upsert([TestChunks.Make("old", "氯吡格雷与质子泵抑制剂合用需评估。")]);
        }

        using var after = new LuceneBm25Index(path, new HanlinAnalyzer(DomainDictionary.FromTerms(["氯吡格雷"])));

        Assert.Equal("old", Assert.Single(after.Search("氯吡格雷")).ChunkId);
    }

    [Fact]
    public void English_queries_match_other_inflections()
    {
        using var index = Open();
        index.Upsert(MedicalCorpus);

        var hits = index.Search("interactions");

        Assert.Equal("c6", Assert.Single(hits).ChunkId);
    }

    [Fact]
    public void Mixed_language_queries_match_both_scripts()
    {
        using var index = Open();
        index.Upsert(MedicalCorpus);

        var ids = index.Search("aspirin 华法林 bleeding", topK: 10).Select(h => h.ChunkId).ToList();

        Assert.Contains("c6", ids);
        Assert.Contains("c3", ids);
    }

    [Fact]
    public void Filters_restrict_hits_by_collection_document_tag_and_date()
    {
        using var index = Open();
        var guideline = new Dictionary<string, string> { ["type"] = "guideline" };
        index.Upsert(
        [
            TestChunks.Make("a", "高血压 治疗", collection: "col_1", document: "doc_1", tags: guideline, updatedAt: TestChunks.BaseTime),
            TestChunks.Make("b", "高血压 治疗", collection: "col_1", document: "doc_2", updatedAt: TestChunks.BaseTime.AddDays(10)),
            TestChunks.Make("c", "高血压 治疗", collection: "col_2", document: "doc_3", tags: guideline, updatedAt: TestChunks.BaseTime.AddDays(20)),
        ]);

        string[] Ids(SearchFilter filter) => [.. index.Search("高血压", filter).Select(h => h.ChunkId).Order()];

        Assert.Equal(["a", "b", "c"], Ids(SearchFilter.None));
        Assert.Equal(["a", "b"], Ids(new SearchFilter { CollectionIds = ["col_1"] }));
        Assert.Equal(["b", "c"], Ids(new SearchFilter { DocumentIds = ["doc_2", "doc_3"] }));
        Assert.Equal(["a", "c"], Ids(new SearchFilter { Tags = guideline }));
        Assert.Equal(["b", "c"], Ids(new SearchFilter { UpdatedFrom = TestChunks.BaseTime.AddDays(5) }));
        Assert.Equal(["a", "b"], Ids(new SearchFilter { UpdatedTo = TestChunks.BaseTime.AddDays(10) }));
        Assert.Equal(["a"], Ids(new SearchFilter { CollectionIds = ["col_1"], Tags = guideline }));
        Assert.Empty(Ids(new SearchFilter { CollectionIds = [] }));
        Assert.Equal(["a", "b"], [.. index.MatchingChunkIds(new SearchFilter { CollectionIds = ["col_1"] }).Order()]);
    }

    [Fact]
    public void Deleting_a_document_removes_its_hits()
    {
        using var index = Open();
        index.Upsert(MedicalCorpus);

        index.DeleteDocument("doc_c1");

        Assert.DoesNotContain(index.Search("阿司匹林 禁忌", topK: 10), h => h.ChunkId == "c1");
        Assert.Equal(MedicalCorpus.Length - 1, index.Count);
    }

    [Fact]
    public void Deleting_a_collection_removes_only_its_chunks()
    {
        using var index = Open();
        index.Upsert(MedicalCorpus);

        index.DeleteCollection("col_fin");

        Assert.Empty(index.Search("市盈率"));
        Assert.NotEmpty(index.Search("阿司匹林"));
    }

    [Fact]
    public void Upserting_a_chunk_again_replaces_it()
    {
        using var index = Open();
        index.Upsert([TestChunks.Make("x", "旧的内容 old text")]);

        index.Upsert([TestChunks.Make("x", "新的内容 new text")]);

        Assert.Equal(1, index.Count);
        Assert.Empty(index.Search("old"));
        Assert.Equal("x", Assert.Single(index.Search("new")).ChunkId);
    }

    [Fact]
    public void A_committed_index_reopened_from_disk_still_searches()
    {
        using (var index = Open())
        {
            index.Upsert(MedicalCorpus);
            index.Commit("seq-42");
        }

        using var reopened = Open();

        Assert.Equal(MedicalCorpus.Length, reopened.Count);
        Assert.Equal("c1", reopened.Search("阿司匹林 禁忌")[0].ChunkId);
        Assert.Equal("seq-42", reopened.Checkpoint);
    }

    [Fact]
    public void Chunk_counts_per_document_reflect_deletes_for_consistency_checks()
    {
        using var index = Open();
        index.Upsert(
        [
            TestChunks.Make("a1", "one", document: "doc_a"),
            TestChunks.Make("a2", "two", document: "doc_a"),
            TestChunks.Make("b1", "three", document: "doc_b"),
        ]);
        index.DeleteChunks(["a2"]);

        var counts = index.CountChunksByDocument();

        Assert.Equal(new Dictionary<string, int> { ["doc_a"] = 1, ["doc_b"] = 1 }, counts);
    }

    [Theory]
    [InlineData("AND (")]
    [InlineData("title:*")]
    [InlineData("\"unterminated")]
    [InlineData("*?~^ \\ ) ] } NOT OR")]
    [InlineData("[1 TO")]
    [InlineData("")]
    [InlineData("    ")]
    [InlineData("the of and")]
    [InlineData("？！。，")]
    [InlineData("text:阿司匹林^100 AND collection:col_fin")]
    public void Malicious_or_empty_queries_never_throw(string query)
    {
        using var index = Open();
        index.Upsert(MedicalCorpus);

        var hits = index.Search(query, new SearchFilter { CollectionIds = ["col_a"] });

        Assert.All(hits, h => Assert.Equal("col_a", h.CollectionId));
    }

    [Fact]
    public void A_huge_query_is_truncated_instead_of_failing()
    {
        using var index = Open();
        index.Upsert(MedicalCorpus);
        var query = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"w{i} 字{(char)('一' + (i % 5000))} "));

        var hits = index.Search(query);

        Assert.NotNull(hits);
    }

    [Fact]
    public void Concurrent_searches_and_writes_do_not_interfere()
    {
        using var index = Open();
        index.Upsert(MedicalCorpus);

        Parallel.For(0, 200, i =>
        {
            if (i % 10 == 0)
            {
                index.Upsert([TestChunks.Make($"extra{i}", $"阿司匹林 补充说明 {i}")]);
            }

            Assert.Contains(index.Search("阿司匹林 禁忌", topK: 3), h => h.ChunkId == "c1");
        });

        Assert.Equal(MedicalCorpus.Length + 20, index.Count);
    }

    [Fact]
    public void A_second_writer_on_the_same_directory_is_a_domain_error()
    {
        using var index = Open();

        var ex = Assert.Throws<HanlinException>(() => Open());

        Assert.Equal(ErrorCodes.Internal, ex.Code);
        Assert.Contains("locked", ex.Message);
    }

    [Fact]
    public void Common_terms_only_score_chunks_that_match_a_rarer_query_term()
    {
        using var index = new LuceneBm25Index(
            _temp.File("common"),
            new HanlinAnalyzer(),
            new LexicalIndexOptions { CommonTermRatio = 0.5, CommonTermMinChunks = 0 });
        index.Upsert(
        [
            .. Enumerable.Range(0, 8).Select(i => TestChunks.Make($"plain{i}", $"report number {i} report")),
            TestChunks.Make("rare", "report about warfarin"),
        ]);

        var mixed = index.Search("report warfarin", topK: 20);
        var commonOnly = index.Search("report", topK: 20);

        Assert.Equal("rare", Assert.Single(mixed).ChunkId);
        Assert.Equal(9, commonOnly.Count);
    }
}
