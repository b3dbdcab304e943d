using Hanlin.Core.Errors;
using Hanlin.Models.Templates;
using Hanlin.Training.Datasets;
using Hanlin.Training.FineTuning;

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
    public void A_conversation_for_a_model_without_a_chat_template_is_refused_with_a_clear_error()
    {
        var encoder = new ExampleEncoder(TestTokenizer.Create(_temp), template: null, null, maxLength: 64);

        var error = Assert.Throws<HanlinException>(() => encoder.Encode(Chat((ChatRole.User, "q"), (ChatRole.Assistant, "a"))));

        Assert.Equal(ErrorCodes.ChatTemplateMissing, error.Code);
        Assert.Contains("line 1", error.Message);
        Assert.Contains("no chat template", error.Message);
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
    }
}
