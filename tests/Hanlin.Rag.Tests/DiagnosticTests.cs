using Hanlin.Rag.Answers;
using Hanlin.Rag.Context;
using Hanlin.Rag.Search;
using Hanlin.Rag.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Rag.Tests;

public sealed class DiagnosticTests(SampleKnowledgeBase kb, ITestOutputHelper output) : IClassFixture<SampleKnowledgeBase>
{
    [Fact]
    public async Task Dump()
    {
        var search = kb.Services.GetRequiredService<IKnowledgeSearch>();
        var terms = kb.Services.GetRequiredService<ContentTerms>();
        foreach (var q in kb.Questions)
        {
            var result = await search.SearchAsync(new KnowledgeSearchRequest(q.Question) { TopK = 8 });
            var passages = await new ContextAssembler(new RagOptions()).AssembleAsync(result.Hits);
            var ev = EvidenceAnalysis.Create(q.Question, passages, terms, new Hanlin.Ingestion.Chunking.SentenceSplitter(), kb.Services.GetRequiredService<Hanlin.Retrieval.HybridRetriever>().Lexical);
            var answer = await kb.Answerer.AskAsync(new AskRequest(q.Question));
            output.WriteLine($"{q.Id} strength={ev.Strength:F2} keys=[{string.Join(" ", ev.KeyTerms)}] terms=[{string.Join(" ", ev.QueryTerms)}] passages=[{string.Join(" | ", passages.Select(p => p.Document.SourceName + ":" + p.Chunk.SectionPath))}] top={(passages.Count > 0 ? passages[0].Document.SourceName : null)}");
            output.WriteLine($"   refused={answer.Refused} {answer.Text}");
            output.WriteLine($"   cites={string.Join(",", answer.Verification.SelectMany(v => v.Cited).Distinct().Select(n => answer.Citations[n - 1].DocumentName))} support={string.Join(",", answer.Verification.Select(v => v.Support.ToString("F2")))} gold={q.Answer} @ {q.Source}");
        }
    }
}
