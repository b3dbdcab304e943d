using Hanlin.Rag.Answers;

namespace Hanlin.Rag.Tests;

/// <summary>Streamed answers: sources first, then text, then the verified whole; cancellation stops the work.</summary>
[Collection(SampleCollection.Name)]
public sealed class StreamingTests(SampleKnowledgeBase kb)
{
    [Fact]
    public async Task An_extractive_stream_sends_citations_then_deltas_then_the_completed_answer()
    {
        var updates = new List<AnswerUpdate>();
        await foreach (var update in kb.Answerer.AskStreamingAsync(new AskRequest("What is the antidote for warfarin overdose?"), TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        AssertOrder(updates);
        var completed = updates[^1].Completed!;
        Assert.Equal(completed.Text, string.Concat(updates.Where(u => u.Delta is not null).Select(u => u.Delta)));
        Assert.Equal(updates[0].Citations!.Select(c => c.ChunkId), completed.Citations.Select(c => c.ChunkId));
        Assert.Contains("vitamin K1", completed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generative_stream_relays_the_models_tokens_and_verifies_the_whole()
    {
        var client = new FixedChatClient("The antidote is vitamin K1 (phytomenadione) [1].");
        var updates = new List<AnswerUpdate>();
        await foreach (var update in kb.AnswererWith(client).AskStreamingAsync(new AskRequest("What is the antidote for warfarin overdose?"), TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        AssertOrder(updates);
        Assert.True(updates.Count(u => u.Delta is not null) > 3);
        var completed = updates[^1].Completed!;
        Assert.Equal(client.Text, completed.Text);
        Assert.Equal(AnswerMethod.Generative, completed.Method);
        Assert.Single(completed.Verification);
    }

    [Fact]
    public async Task A_refusal_streams_empty_citations_the_refusal_and_the_completed_refusal()
    {
        var updates = new List<AnswerUpdate>();
        await foreach (var update in kb.Answerer.AskStreamingAsync(new AskRequest("阿司匹林肠溶片的医保报销比例是多少？"), TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        Assert.Equal(3, updates.Count);
        Assert.Empty(updates[0].Citations!);
        Assert.Equal(new RagOptions().RefusalZh, updates[1].Delta);
        Assert.True(updates[2].Completed!.Refused);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_generation()
    {
        var client = new FixedChatClient(string.Join(' ', Enumerable.Repeat("vitamin K1 [1].", 200))) { DelayPerToken = TimeSpan.FromMilliseconds(20) };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var deltas = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in kb.AnswererWith(client).AskStreamingAsync(new AskRequest("What is the antidote for warfarin overdose?"), cts.Token))
            {
                if (update.Delta is not null && ++deltas == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.InRange(client.StreamedTokens, 3, 4);
    }

    private static void AssertOrder(List<AnswerUpdate> updates)
    {
        Assert.True(updates.Count >= 3);
        Assert.NotNull(updates[0].Citations);
        Assert.NotEmpty(updates[0].Citations!);
        Assert.All(updates.Skip(1).SkipLast(1), u => Assert.NotNull(u.Delta));
        Assert.NotNull(updates[^1].Completed);
        Assert.Single(updates, u => u.Citations is not null);
        Assert.Single(updates, u => u.Completed is not null);
    }
}
