using Hanlin.Training.Datasets;
using Hanlin.Training.Evaluation;
using Hanlin.Training.Tests.Evaluation;

namespace Hanlin.Training.Tests.Datasets;

public sealed class ConversationEncoderTests
{
    private static readonly TrainingExample TwoTurns = new(3,
    [
        new TrainingMessage(ChatRole.System, "Be brief."),
        new TrainingMessage(ChatRole.User, "Who is Lily?"),
        new TrainingMessage(ChatRole.Assistant, "A girl."),
        new TrainingMessage(ChatRole.User, "Where does she play?"),
        new TrainingMessage(ChatRole.Assistant, "In the park."),
    ]);

    private static string Learnt(Hanlin.Models.Tokenization.ITextTokenizer tokenizer, EncodedConversation encoded) =>
        tokenizer.Decode(encoded.Labels.Where(l => l != LanguageModelMetrics.IgnoreIndex).Select(l => (int)l), skipSpecialTokens: true);

    [Fact]
    public void Only_the_assistant_turns_and_their_end_markers_are_learnt_with_a_chat_template()
    {
        using var model = Stories260K.WithTemplate();

        var encoded = new ConversationEncoder(model).Encode(TwoTurns);

        var learnt = Learnt(model.Tokenizer, encoded);
        Assert.Contains("A girl.", learnt, StringComparison.Ordinal);
        Assert.Contains("In the park.", learnt, StringComparison.Ordinal);
        Assert.Contains("[end]", learnt, StringComparison.Ordinal);
        Assert.DoesNotContain("Lily", learnt, StringComparison.Ordinal);
        Assert.DoesNotContain("Be brief", learnt, StringComparison.Ordinal);
        Assert.Equal(encoded.InputIds.Length, encoded.Labels.Length);
        Assert.Equal("In the park.", encoded.ReferenceAnswer);
        Assert.Equal(encoded.InputIds[..encoded.PromptIds!.Length], encoded.PromptIds);
        Assert.EndsWith("[assistant] ", model.Tokenizer.Decode(encoded.PromptIds), StringComparison.Ordinal);
        Assert.False(encoded.Truncated);
    }

    [Fact]
    public async Task A_base_model_learns_each_answer_and_its_end_of_sequence_token()
    {
        using var model = await Stories260K.LoadAsync();

        var encoded = new ConversationEncoder(model).Encode(TwoTurns);

        var eos = model.Tokenizer.EosTokenId!.Value;
        Assert.Equal(2, encoded.Labels.Count(l => l == eos));
        Assert.Equal(model.Tokenizer.BosTokenId, encoded.InputIds[0]);
        var learnt = Learnt(model.Tokenizer, encoded);
        Assert.Contains("A girl.", learnt, StringComparison.Ordinal);
        Assert.DoesNotContain("Where", learnt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_text_is_learnt_entirely_and_cut_to_the_limit()
    {
        using var model = await Stories260K.LoadAsync();
        var example = new TrainingExample(1, [new TrainingMessage(ChatRole.Text, string.Join(' ', Enumerable.Repeat("The cat sat on the mat.", 40)))]);

        var encoded = new ConversationEncoder(model).Encode(example, maxTokens: 32);

        Assert.True(encoded.Truncated);
        Assert.Equal(32, encoded.InputIds.Length);
        Assert.Equal(encoded.InputIds.Select(i => (long)i), encoded.Labels);
        Assert.Null(encoded.PromptIds);
    }
}
