using Hanlin.Core.Errors;
using Hanlin.Rag.Answers;

namespace Hanlin.Rag.Tests;

/// <summary>
/// Verification of generated answers. The chat model is a fixed-text double: the feature under test is the
/// check of the text against the evidence, not the model.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class VerificationTests(SampleKnowledgeBase kb)
{
    private const string Question = "阿司匹林肠溶片每片含多少阿司匹林？";

    [Fact]
    public async Task A_fabricated_sentence_a_wrong_number_and_an_out_of_range_citation_are_flagged()
    {
        var n = await SourceNumberAsync("100 mg");
        var client = new FixedChatClient(
            $"每片含阿司匹林100 mg[{n}]。每片含阿司匹林500 mg[{n}]。阿司匹林可以彻底治愈各种癌症和糖尿病[{n}]。详见药品说明书第九页[99]。");
        var answer = await kb.AnswererWith(client).AskAsync(new AskRequest(Question), TestContext.Current.CancellationToken);

        Assert.False(answer.Refused);
        Assert.Equal(AnswerMethod.Generative, answer.Method);
        Assert.Equal(4, answer.Verification.Count);
        Assert.True(answer.Verification[0].Supported, $"support {answer.Verification[0].Support}");
        Assert.False(answer.Verification[1].Supported, "a dose the source does not state must not count as supported");
        Assert.False(answer.Verification[2].Supported, $"a fabricated claim got support {answer.Verification[2].Support}");
        Assert.Equal([99], answer.Verification[3].InvalidCitations);
        Assert.False(answer.Verification[3].Supported);
        Assert.False(answer.FullySupported);
    }

    [Fact]
    public async Task A_faithful_generated_answer_is_fully_supported_and_the_prompt_carries_numbered_sources()
    {
        var n = await SourceNumberAsync("100 mg");
        var client = new FixedChatClient($"每片含阿司匹林100 mg [{n}].");
        var answer = await kb.AnswererWith(client).AskAsync(new AskRequest(Question), TestContext.Current.CancellationToken);

        Assert.True(answer.FullySupported);
        Assert.Equal([n], answer.Verification.Single().Cited);
        var system = client.LastMessages[0].Text;
        Assert.Contains("[1]", system, StringComparison.Ordinal);
        Assert.Contains("知识库中没有找到该问题的答案", system, StringComparison.Ordinal);
        Assert.Equal(Question, client.LastMessages[^1].Text);
    }

    [Fact]
    public async Task A_model_that_answers_with_the_refusal_sentence_yields_a_refusal_without_citations()
    {
        var client = new FixedChatClient(new RagOptions().RefusalZh);
        var answer = await kb.AnswererWith(client).AskAsync(new AskRequest(Question), TestContext.Current.CancellationToken);

        Assert.True(answer.Refused);
        Assert.Empty(answer.Citations);
    }

    [Fact]
    public async Task An_unknown_chat_model_or_an_empty_question_is_rejected_with_a_stable_code()
    {
        var unknown = await Assert.ThrowsAsync<HanlinException>(() => kb.Answerer.AskAsync(new AskRequest(Question) { ChatModel = "gpt-nonexistent" }, TestContext.Current.CancellationToken));
        var empty = await Assert.ThrowsAsync<HanlinException>(() => kb.Answerer.AskAsync(new AskRequest("  "), TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.UnsupportedModel, unknown.Code);
        Assert.Equal(ErrorCodes.InvalidArgument, empty.Code);
    }

    private async Task<int> SourceNumberAsync(string fact)
    {
        var reference = await kb.Answerer.AskAsync(new AskRequest(Question), TestContext.Current.CancellationToken);
        return reference.Citations.First(c => c.Snippet.Contains(fact, StringComparison.Ordinal)).Number;
    }
}
