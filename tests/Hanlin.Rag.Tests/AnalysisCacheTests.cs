using System.Text.Json;
using Hanlin.Rag.Answers;
using Hanlin.Rag.Models;
using Hanlin.Rag.Search;
using Hanlin.Rag.Text;
using Hanlin.Retrieval;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hanlin.Rag.Tests;

/// <summary>The analysis cache saves work only: every answer is the same with it off, cold or warm.</summary>
[Collection(SampleCollection.Name)]
public sealed class AnalysisCacheTests(SampleKnowledgeBase kb)
{
    [Fact]
    public async Task Sample_answers_are_identical_without_the_analysis_cache_and_from_a_cold_or_warm_one()
    {
        var uncached = Answerer(analysisCacheChunks: 0);
        var cached = Answerer(analysisCacheChunks: 1024);
        var tiny = Answerer(analysisCacheChunks: 3);
        foreach (var q in kb.Questions)
        {
            var request = new AskRequest(q.Question);
            var expected = Serialize(await uncached.AskAsync(request, TestContext.Current.CancellationToken));

            Assert.Equal(expected, Serialize(await cached.AskAsync(request, TestContext.Current.CancellationToken)));
            Assert.Equal(expected, Serialize(await cached.AskAsync(request, TestContext.Current.CancellationToken)));
            Assert.Equal(expected, Serialize(await tiny.AskAsync(request, TestContext.Current.CancellationToken)));
        }
    }

    private KnowledgeAnswerer Answerer(int analysisCacheChunks) =>
        new(
            kb.Services.GetRequiredService<IKnowledgeSearch>(),
            ChatModelCatalog.None,
            kb.Services.GetRequiredService<ContentTerms>(),
            Options.Create(new RagOptions { AnalysisCacheChunks = analysisCacheChunks }),
            kb.Store,
            kb.Services.GetRequiredService<HybridRetriever>().Lexical);

    private static string Serialize(RagAnswer answer) => JsonSerializer.Serialize(answer);
}
