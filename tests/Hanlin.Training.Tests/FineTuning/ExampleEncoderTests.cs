using Hanlin.Models.Templates;
using Hanlin.Training.Datasets;
using Hanlin.Training.FineTuning;
using Hanlin.Training.Tests.Evaluation;

namespace Hanlin.Training.Tests.FineTuning;

public sealed class ExampleEncoderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static TrainingExample Chat(params (ChatRole Role, string Content)[] turns) =>
        new(1, [.. turns.Select(t => new TrainingMessage(t.Role, t.Content))]);

    private static string Learnt(Hanlin.Models.Tokenization.ITextTokenizer tokenizer, EncodedExample example) =>
        tokenizer.Decode(example.Labels.Where(l => l != EncodedExample.Ignore));

    [Fact]
    public void Only_the_assistant_turns_of_a_conversation_rendered_with_the_chat_template_are_learnt()
    {
        var tokenizer = TestTokenizer.Create(_temp);
        var encoder = new ExampleEncoder(tokenizer, ChatTemplate.Parse(TestTokenizer.ChatMl), null, maxLength: 512);
        var example = Chat(
            (ChatRole.System, "Be brief."),
            (ChatRole.User, "hello there"),
            (ChatRole.Assistant, "hello to you"),
            (ChatRole.User, "the end?"),
            (ChatRole.Assistant, "the end."));

        var encoded = Assert.Single(encoder.Encode(example));

        Assert.Equal(
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhello there<|im_end|>\n<|im_start|>assistant\nhello to you<|im_end|>\n<|im_start|>user\nthe end?<|im_end|>\n<|im_start|>assistant\nthe end.<|im_end|>\n",
            tokenizer.Decode(encoded.InputIds));
        Assert.Equal("hello to you<|im_end|>\nthe end.<|im_end|>\n", Learnt(tokenizer, encoded));
        Assert.Equal(encoded.InputIds.Length, encoded.Labels.Length);
        Assert.All(encoded.Labels.Zip(encoded.InputIds), pair => Assert.True(pair.First == EncodedExample.Ignore || pair.First == pair.Second));
    }

    [Fact]
    public void A_conversation_for_a_model_without_a_chat_template_learns_each_answer_and_the_end_of_text_after_it()
    {
        var tokenizer = TestTokenizer.Create(_temp);
        var encoder = new ExampleEncoder(tokenizer, template: null, null, maxLength: 64);

        var encoded = encoder.EncodeForEvaluation(Chat((ChatRole.User, "hello"), (ChatRole.Assistant, "hello to you")));

        var sequence = Assert.Single(encoded.Sequences);
        Assert.Equal("hello\nhello to you<|endoftext|>", tokenizer.Decode(sequence.InputIds));
        Assert.Equal("hello to you<|endoftext|>", Learnt(tokenizer, sequence));
        Assert.Equal("hello\n", tokenizer.Decode(encoded.PromptIds!));
        Assert.Equal("hello to you", encoded.ReferenceAnswer);
    }

    [Fact]
    public void For_evaluation_a_conversation_also_gives_the_inference_prompt_of_its_last_answer_and_that_answer()
    {
        using var model = Stories260K.WithTemplate();
        var encoder = new ExampleEncoder(model.Tokenizer, model.Template, model.SpecialTokens, model.Model.Config.MaxSequenceLength);
        var example = new TrainingExample(3,
        [
            new TrainingMessage(ChatRole.System, "Be brief."),
            new TrainingMessage(ChatRole.User, "Who is Lily?"),
            new TrainingMessage(ChatRole.Assistant, "A girl."),
            new TrainingMessage(ChatRole.User, "Where does she play?"),
            new TrainingMessage(ChatRole.Assistant, "In the park."),
        ]);

        var encoded = encoder.EncodeForEvaluation(example);

        var sequence = Assert.Single(encoded.Sequences);
        var trained = Assert.Single(encoder.Encode(example));
        Assert.Equal(trained.InputIds, sequence.InputIds);
        Assert.Equal(trained.Labels, sequence.Labels);
        var learnt = model.Tokenizer.Decode(sequence.Labels.Where(l => l != EncodedExample.Ignore), skipSpecialTokens: true);
        Assert.Contains("A girl.", learnt, StringComparison.Ordinal);
        Assert.Contains("In the park.", learnt, StringComparison.Ordinal);
        Assert.Contains("[end]", learnt, StringComparison.Ordinal);
        Assert.DoesNotContain("Lily", learnt, StringComparison.Ordinal);
        Assert.DoesNotContain("Be brief", learnt, StringComparison.Ordinal);
        Assert.Equal("In the park.", encoded.ReferenceAnswer);
        var history = example.Messages.Take(4).Select(m => new ChatTemplateMessage(m.Role.ToString().ToLowerInvariant(), m.Content)).ToList();
        Assert.Equal(model.EncodeConversation(history), encoded.PromptIds);
        Assert.EndsWith("[assistant] ", model.Tokenizer.Decode(encoded.PromptIds!), StringComparison.Ordinal);
        Assert.False(encoded.Truncated);
    }

    [Fact]
    public void Plain_text_needs_no_template_and_is_cut_into_windows_that_learn_every_token()
    {
        var tokenizer = TestTokenizer.Create(_temp);
        var encoder = new ExampleEncoder(tokenizer, template: null, null, maxLength: 8);
        var text = "the quick brown fox jumps";

        var windows = encoder.Encode(new TrainingExample(3, [new TrainingMessage(ChatRole.Text, text)]));

        Assert.True(windows.Count > 1);
        Assert.All(windows, w => Assert.InRange(w.InputIds.Length, 2, 8));
        Assert.All(windows, w => Assert.Equal(w.InputIds, w.Labels));
        Assert.Equal(text + "<|endoftext|>", tokenizer.Decode(windows[0].InputIds.Concat(windows.Skip(1).SelectMany(w => w.InputIds.Skip(1)))));
        Assert.All(windows.Zip(windows.Skip(1)), pair => Assert.Equal(pair.First.InputIds[^1], pair.Second.InputIds[0]));
        var evaluated = encoder.EncodeForEvaluation(new TrainingExample(3, [new TrainingMessage(ChatRole.Text, text)]));
        Assert.Equal(windows.SelectMany(w => w.InputIds), evaluated.Sequences.SelectMany(w => w.InputIds));
        Assert.Equal(windows.SelectMany(w => w.Labels), evaluated.Sequences.SelectMany(w => w.Labels));
        Assert.False(evaluated.Truncated);
        Assert.Null(evaluated.PromptIds);
        Assert.Null(evaluated.ReferenceAnswer);
    }

    [Fact]
    public void Long_conversations_are_truncated_and_those_left_with_nothing_to_learn_are_dropped()
    {
        var tokenizer = TestTokenizer.Create(_temp);
        var encoder = new ExampleEncoder(tokenizer, ChatTemplate.Parse(TestTokenizer.ChatMl), null, maxLength: 32);
        var fits = Chat((ChatRole.User, "hi"), (ChatRole.Assistant, "hello"));
        var cut = Chat((ChatRole.User, "hi"), (ChatRole.Assistant, new string('x', 100)));
        var lost = Chat((ChatRole.User, new string('q', 100)), (ChatRole.Assistant, "a"));

        var dataset = encoder.EncodeAll([fits, cut, lost]);

        Assert.Equal(2, dataset.Examples.Count);
        Assert.Equal(2, dataset.Truncated);
        Assert.Equal(1, dataset.Dropped);
        Assert.All(dataset.Examples, e => Assert.True(e.InputIds.Length <= 32));
        Assert.StartsWith("xxx", Learnt(tokenizer, dataset.Examples[1]));
        Assert.True(encoder.EncodeForEvaluation(cut).Truncated);
        Assert.False(encoder.EncodeForEvaluation(fits).Truncated);
    }
}
