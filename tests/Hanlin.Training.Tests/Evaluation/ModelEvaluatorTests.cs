using Hanlin.Core.Errors;
using Hanlin.Training.Datasets;
using Hanlin.Training.Evaluation;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Hanlin.Training.Tests.Evaluation;

public sealed class ModelEvaluatorTests
{
    private const string Story = "Once upon a time, there was a little girl named Lily. She liked to play in the park with her friends.";

    private static TrainingExample Chat(int line, string question, string answer) =>
        new(line, [new TrainingMessage(ChatRole.System, "You tell stories."), new TrainingMessage(ChatRole.User, question), new TrainingMessage(ChatRole.Assistant, answer)]);

    private static TrainingExample Text(string text) => new(1, [new TrainingMessage(ChatRole.Text, text)]);

    [Fact]
    public async Task Perplexity_of_plain_text_equals_the_cross_entropy_of_one_full_forward()
    {
        using var model = await Stories260K.LoadAsync();

        var result = ModelEvaluator.Evaluate(model, [Text(Story)], new ModelEvaluationOptions { Generate = false }, cancellationToken: TestContext.Current.CancellationToken);

        var ids = model.Tokenizer.Encode(Story).Append(model.Tokenizer.EosTokenId!.Value).Select(i => (long)i).ToArray();
        using var cache = model.Model.CreateCache(1, ids.Length);
        using var logits = model.Model.Forward(tensor(ids, 1, ids.Length), 0, cache);
        using var loss = F.cross_entropy(logits[0, ..^1], tensor(ids[1..]));
        Assert.Equal(ids.Length - 1, result.TargetTokens);
        Assert.Equal(loss.item<float>(), result.MeanLoss, 4);
        Assert.Equal(Math.Exp(result.MeanLoss), result.Perplexity, 6);
        Assert.Null(result.Generation);
    }

    [Fact]
    public async Task The_model_finds_its_own_story_domain_far_more_likely_than_shuffled_words()
    {
        using var model = await Stories260K.LoadAsync();
        var words = Story.Split(' ');
        var shuffled = string.Join(' ', words.OrderBy(w => w.GetHashCode(StringComparison.Ordinal)).Select(w => new string([.. w.Reverse()])));

        var story = ModelEvaluator.Evaluate(model, [Text(Story)], new ModelEvaluationOptions { Generate = false }, cancellationToken: TestContext.Current.CancellationToken);
        var noise = ModelEvaluator.Evaluate(model, [Text(shuffled)], new ModelEvaluationOptions { Generate = false }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(story.Perplexity * 3 < noise.Perplexity, $"story {story.Perplexity:F2} vs shuffled {noise.Perplexity:F2}");
        Assert.True(story.TokenAccuracy > noise.TokenAccuracy);
    }

    [Fact]
    public async Task An_answer_equal_to_the_greedy_generation_scores_full_marks_and_another_scores_less()
    {
        using var model = await Stories260K.LoadAsync();
        var probe = ModelEvaluator.Evaluate(model, [Chat(1, "Tell me about Lily.", "x")], new ModelEvaluationOptions { MaxNewTokens = 24 }, cancellationToken: TestContext.Current.CancellationToken);
        var greedy = probe.Samples.Single().Prediction;
        Assert.False(string.IsNullOrWhiteSpace(greedy));

        var own = ModelEvaluator.Evaluate(model, [Chat(1, "Tell me about Lily.", greedy)], new ModelEvaluationOptions { MaxNewTokens = 24 }, cancellationToken: TestContext.Current.CancellationToken);
        var other = ModelEvaluator.Evaluate(model, [Chat(1, "Tell me about Lily.", "The dog ran to the big red ball.")], new ModelEvaluationOptions { MaxNewTokens = 24 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, own.Generation!.ExactMatch);
        Assert.Equal(100, own.Generation.Bleu4, 6);
        Assert.Equal(1, own.Generation.RougeL, 6);
        Assert.Equal(0, other.Generation!.ExactMatch);
        Assert.True(other.Generation.F1 < 1);
        Assert.True(own.Perplexity < other.Perplexity, "the model's own greedy answer is its most likely one");
    }

    [Fact]
    public async Task Max_examples_limits_the_evaluation_and_an_empty_dataset_is_refused()
    {
        using var model = await Stories260K.LoadAsync();
        var examples = Enumerable.Range(1, 5).Select(i => Chat(i, "Who is Lily?", "Lily is a little girl.")).ToList();

        var result = ModelEvaluator.Evaluate(model, examples, new ModelEvaluationOptions { MaxExamples = 2, MaxNewTokens = 4 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Examples);
        Assert.Equal(2, result.Generation!.Answers);
        var error = Assert.Throws<HanlinException>(() => ModelEvaluator.Evaluate(model, [], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.DatasetEmpty, error.Code);
    }
}
