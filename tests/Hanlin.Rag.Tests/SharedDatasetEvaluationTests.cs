using Hanlin.Rag.Answers;
using Hanlin.Rag.Evaluation;
using Hanlin.Rag.Models;
using Hanlin.Rag.Text;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Analysis;
using Hanlin.Retrieval.Tests;
using Microsoft.Extensions.Options;

namespace Hanlin.Rag.Tests;

/// <summary>Evaluation on slices of the shared TAT-QA and CMRC 2018 sets; skipped where ../shared is absent.</summary>
public sealed class SharedDatasetEvaluationTests
{
    private const int Slice = 60;

    [Fact]
    public async Task Bm25_retrieval_on_a_tatqa_slice_finds_most_gold_passages_and_vector_modes_need_a_model()
    {
        var (corpus, queries) = Load("tatqa-dev");
        using var analyzer = new HanlinAnalyzer();
        using var index = await EvalIndex.BuildAsync(corpus, analyzer, cancellationToken: TestContext.Current.CancellationToken);

        var report = await RetrievalEvaluator.RunAsync(index, corpus.Count, queries, [RetrievalMode.Bm25, RetrievalMode.Hybrid], TestContext.Current.CancellationToken);

        var bm25 = report.Modes[0];
        Assert.True(bm25.Available);
        Assert.Equal(Slice, bm25.Queries);
        Assert.InRange(bm25.RecallAt10, 0.4, 1.0);
        Assert.True(bm25.RecallAt1 <= bm25.RecallAt5 && bm25.RecallAt5 <= bm25.RecallAt10);
        Assert.InRange(bm25.MrrAt10, 0.2, 1.0);
        Assert.InRange(bm25.NdcgAt10, 0.2, 1.0);
        Assert.False(report.Modes[1].Available);
    }

    [Fact]
    public async Task Hybrid_retrieval_runs_when_an_embedding_generator_is_given()
    {
        var (corpus, queries) = Load("cmrc2018-trial");
        using var analyzer = new HanlinAnalyzer();
        using var embeddings = new HashingEmbeddingGenerator(128);
        using var index = await EvalIndex.BuildAsync(corpus, analyzer, embeddings, TestContext.Current.CancellationToken);

        var report = await RetrievalEvaluator.RunAsync(index, corpus.Count, queries, [RetrievalMode.Vector, RetrievalMode.Hybrid], TestContext.Current.CancellationToken);

        Assert.All(report.Modes, m => Assert.True(m.Available));
        Assert.All(report.Modes, m => Assert.InRange(m.RecallAt10, 0.1, 1.0));
    }

    [Fact]
    public async Task Extractive_answers_on_a_cmrc_slice_overlap_the_gold_and_cite_gold_passages()
    {
        var (corpus, queries) = Load("cmrc2018-trial");
        using var analyzer = new HanlinAnalyzer();
        using var index = await EvalIndex.BuildAsync(corpus, analyzer, cancellationToken: TestContext.Current.CancellationToken);
        var answerer = new KnowledgeAnswerer(index, ChatModelCatalog.None, new ContentTerms(analyzer), Options.Create(new RagOptions()), statistics: index.Lexical);

        var report = await AnswerEvaluator.RunAsync(answerer, corpus.Count, corpus.ToDictionary(p => p.Id, p => p.Text), queries, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("extractive", report.Method);
        Assert.InRange(report.F1, 0.2, 1.0);
        Assert.InRange(report.RougeL, 0.2, 1.0);
        Assert.True(report.ExactMatch <= report.F1);
        Assert.InRange(report.CitationPrecision, 0.6, 1.0);
        Assert.InRange(report.RefusalRate, 0.0, 0.4);
    }

    private static (IReadOnlyList<EvalPassage> Corpus, IReadOnlyList<EvalQuery> Queries) Load(string dataset)
    {
        var corpus = EvalDataset.LoadCorpus(SharedData.Require($"datasets/{dataset}/corpus.jsonl"));
        var queries = EvalDataset.LoadQueries(SharedData.Require($"datasets/{dataset}/queries.jsonl"));
        return (corpus, [.. queries.Take(Slice)]);
    }
}
