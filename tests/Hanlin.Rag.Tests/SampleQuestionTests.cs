using System.Text.RegularExpressions;
using Hanlin.Rag.Answers;

namespace Hanlin.Rag.Tests;

/// <summary>The bundled samples and their questions, answered extractively over the real pipeline's output.</summary>
[Collection(SampleCollection.Name)]
public sealed partial class SampleQuestionTests(SampleKnowledgeBase kb, ITestOutputHelper output)
{
    [Fact]
    public async Task Answerable_sample_questions_get_the_gold_fact_cited_from_its_source_document()
    {
        var answerable = kb.Questions.Where(q => q.Answer is not null).ToList();
        Assert.Equal(22, answerable.Count);
        var correct = 0;
        foreach (var q in answerable)
        {
            var answer = await kb.Answerer.AskAsync(new AskRequest(q.Question), TestContext.Current.CancellationToken);
            var citedSources = answer.Verification.SelectMany(v => v.Cited).Where(n => n >= 1 && n <= answer.Citations.Count)
                .Select(n => answer.Citations[n - 1].DocumentName).ToHashSet();
            var ok = !answer.Refused && Squash(answer.Text).Contains(Squash(q.Answer!), StringComparison.OrdinalIgnoreCase) && citedSources.Contains(q.Source!);
            output.WriteLine($"{(ok ? "ok  " : "MISS")} {q.Id}: {answer.Text}");
            if (ok)
            {
                correct++;
                Assert.Equal(q.Id.StartsWith("zh", StringComparison.Ordinal) ? "zh" : "en", answer.Language);
                Assert.Equal(AnswerMethod.Extractive, answer.Method);
                Assert.All(answer.Verification, v => Assert.Empty(v.InvalidCitations));
            }
        }

        // Measured: 16 of 22 (the misses answer from the right section but pick a neighbouring sentence, or refuse).
        Assert.True(correct >= 15, $"only {correct} of {answerable.Count} answerable questions were answered with the gold fact cited from its source");
    }

    [Fact]
    public async Task Questions_the_samples_cannot_answer_are_mostly_refused_without_citations()
    {
        var unanswerable = kb.Questions.Where(q => q.Answer is null).ToList();
        Assert.Equal(3, unanswerable.Count);
        var refused = 0;
        foreach (var q in unanswerable)
        {
            var answer = await kb.Answerer.AskAsync(new AskRequest(q.Question), TestContext.Current.CancellationToken);
            output.WriteLine($"{q.Id}: refused={answer.Refused} {answer.Text}");
            if (answer.Refused)
            {
                refused++;
                Assert.Empty(answer.Citations);
                Assert.Empty(answer.Verification);
                Assert.Equal(q.Id.StartsWith("zh", StringComparison.Ordinal) ? new RagOptions().RefusalZh : new RagOptions().RefusalEn, answer.Text);
            }
        }

        // Measured: 2 of 3 (zh-na-2 asks for a 2024 annualised return; the fund's risk disclosure shares most of its terms).
        Assert.True(refused >= 2, $"only {refused} of 3 unanswerable questions were refused");
    }

    [Fact]
    public async Task A_forced_language_overrides_the_questions_language_for_the_refusal()
    {
        var answer = await kb.Answerer.AskAsync(new AskRequest("阿司匹林肠溶片的医保报销比例是多少？") { Language = "en" }, TestContext.Current.CancellationToken);

        Assert.True(answer.Refused);
        Assert.Equal("en", answer.Language);
        Assert.Equal(new RagOptions().RefusalEn, answer.Text);
    }

    private static string Squash(string text) => Whitespace().Replace(text, string.Empty).Replace('＋', '+');

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
