using Hanlin.Retrieval.Analysis;
using Hanlin.Retrieval.Lexical;

namespace Hanlin.Retrieval.Tests.Lexical;

public sealed class ContextAndAccessTests : IDisposable
{
    private static readonly IndexedChunk[] Corpus =
    [
        TestChunks.Make("aspirin-dose", "The usual adult dose of aspirin is 300 mg.", collection: "medicine", document: "d1"),
        TestChunks.Make("aspirin-side", "Aspirin side effects: stomach bleeding.", collection: "medicine", document: "d2"),
        TestChunks.Make("ibuprofen-side", "Ibuprofen side effects: heartburn. Side effects are rare.", collection: "medicine", document: "d3"),
        TestChunks.Make("paracetamol-side", "Paracetamol side effects: skin rash.", collection: "medicine", document: "d5"),
        TestChunks.Make("metformin-side", "Metformin side effects: upset stomach.", collection: "medicine", document: "d6"),
        TestChunks.Make("fund-fee", "The fund charges a redemption fee; side effects of early redemption are fees.", collection: "finance", document: "d4"),
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Context_terms_steer_a_follow_up_towards_the_earlier_subject()
    {
        using var index = new LuceneBm25Index(_temp.File("lexical"), new HanlinAnalyzer(DomainDictionary.BuiltIn));
        index.Upsert(Corpus);

        var alone = index.Search("side effects?", topK: 4);
        var followUp = index.Search("side effects?", topK: 4, context: "What is the usual dose of aspirin?");

        Assert.Equal("ibuprofen-side", alone[0].ChunkId);
        Assert.Equal("aspirin-side", followUp[0].ChunkId);

        // Context widens the ranking but never replaces the question: a chunk with only the context's terms is not first.
        Assert.NotEqual("aspirin-dose", followUp[0].ChunkId);
    }

    [Fact]
    public void A_question_with_no_searchable_terms_searches_with_its_context()
    {
        using var index = new LuceneBm25Index(_temp.File("lexical"), new HanlinAnalyzer(DomainDictionary.BuiltIn));
        index.Upsert(Corpus);

        Assert.Empty(index.Search("and?", topK: 4));
        Assert.Equal("fund-fee", index.Search("and?", topK: 4, context: "redemption fee")[0].ChunkId);
    }

    [Fact]
    public void The_access_hook_keeps_hits_inside_the_allowed_collections_whatever_the_request_asked()
    {
        using var index = new LuceneBm25Index(_temp.File("lexical"), new HanlinAnalyzer(DomainDictionary.BuiltIn));
        index.Upsert(Corpus);

        var unrestricted = SearchFilter.None.WithinCollections(["medicine"]);
        var askedForFinance = new SearchFilter { CollectionIds = ["finance"] }.WithinCollections(["medicine"]);

        Assert.All(index.Search("side effects fee", unrestricted, topK: 4), h => Assert.Equal("medicine", h.CollectionId));
        Assert.Equal(4, index.Search("side effects fee", unrestricted, topK: 4).Count);
        Assert.Empty(index.Search("side effects fee", askedForFinance, topK: 4));
        Assert.Empty(index.Search("side effects fee", SearchFilter.None.WithinCollections([]), topK: 4));
    }
}
