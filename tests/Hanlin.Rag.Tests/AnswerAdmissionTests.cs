using Hanlin.Rag.Answers;
using Hanlin.Rag.Models;
using Hanlin.Rag.Search;
using Hanlin.Retrieval;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hanlin.Rag.Tests;

public sealed class AnswerAdmissionTests(SampleKnowledgeBase kb) : IClassFixture<SampleKnowledgeBase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_extractive_answer_waits_for_its_turn_after_retrieval_and_gives_the_turn_back_when_done()
    {
        using var gate = new QueryAdmission(Options.Create(new RagOptions { MaxConcurrentQueries = 1, QueryQueueLimit = 10 }));
        var answerer = new KnowledgeAnswerer(
            kb.Services.GetRequiredService<IKnowledgeSearch>(),
            new ChatModelCatalog([]),
            kb.Services.GetRequiredService<Text.ContentTerms>(),
            kb.Services.GetRequiredService<IOptions<RagOptions>>(),
            kb.Store,
            kb.Services.GetRequiredService<HybridRetriever>().Lexical,
            gate);
        var question = kb.Questions.First(q => q.Answer is not null).Question;

        var held = await gate.EnterAsync(Ct);
        var asking = answerer.AskAsync(new AskRequest(question), Ct);
        await Task.Delay(300, Ct);
        Assert.False(asking.IsCompleted, "the answer was computed while another query held the only turn");

        held.Dispose();
        var answer = await asking.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.False(answer.Refused);
        Assert.Equal(AnswerMethod.Extractive, answer.Method);
        using var next = await gate.EnterAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
    }
}
