using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using Hanlin.Models.Lora;
using Hanlin.Training.Datasets;
using Hanlin.Training.FineTuning;

namespace Hanlin.Training.Tests.FineTuning;

public sealed class FineTuneRunnerTests : IDisposable
{
    private readonly TempDirectory _model = new();
    private readonly TempDirectory _run = new();

    public void Dispose()
    {
        _model.Dispose();
        _run.Dispose();
    }

    private async Task WriteModelAsync(string? chatTemplate)
    {
        using var tokenizerFiles = new TempDirectory();
        var vocabulary = TestTokenizer.Create(tokenizerFiles, chatTemplate).VocabularySize;
        using var model = LlamaModel.CreateRandom(new LlamaConfig(32, 64, 2, 4, 2, vocabulary, 128) { TiedClassifier = false }, seed: 3);
        await model.SaveHuggingFaceAsync(_model.Path, TestContext.Current.CancellationToken);
        foreach (var file in Directory.GetFiles(tokenizerFiles.Path))
        {
            File.Copy(file, Path.Combine(_model.Path, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static SplitResult Conversations(int count) => new(
        [.. Enumerable.Range(0, count).Select(i => Conversation(i))],
        [Conversation(100), Conversation(101)],
        []);

    private static TrainingExample Conversation(int i) => new(i + 1,
    [
        new TrainingMessage(ChatRole.User, $"hello {i % 3}"),
        new TrainingMessage(ChatRole.Assistant, $"hello to you {i % 3}"),
    ]);

    [Fact]
    public async Task A_chat_model_is_fine_tuned_end_to_end_into_a_PEFT_adapter()
    {
        await WriteModelAsync(TestTokenizer.ChatMl);
        var options = new FineTuneOptions
        {
            Lora = new LoraSettings { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "v_proj"] },
            LearningRate = 2e-2,
            MaxSteps = 4,
            BatchSize = 4,
            EvalInterval = 2,
            MaxSequenceLength = 64,
        };

        var result = await FineTuneRunner.RunAsync(_model.Path, options, Conversations(8), _run.Path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(4, result.Steps);
        Assert.Equal([2, 4], result.Evaluations.Select(e => e.Step));
        Assert.True(File.Exists(Path.Combine(result.OutputDirectory, LoraConfig.FileName)));
        using var adapter = LoraAdapter.Load(result.OutputDirectory);
        Assert.Equal(2, adapter.Config.Rank);
        Assert.Equal(2 * 2 * 2, adapter.NamedParameters.Count);
        Assert.True(File.Exists(Path.Combine(_run.Path, MetricsLog.FileName)));
    }

    [Fact]
    public async Task Chat_data_for_a_base_model_without_a_chat_template_trains_on_its_answers()
    {
        await WriteModelAsync(chatTemplate: null);
        var options = new FineTuneOptions { Lora = new LoraSettings { Rank = 2, Alpha = 4, TargetModules = ["q_proj"] }, MaxSteps = 1, BatchSize = 2, EvalInterval = 0 };

        var result = await FineTuneRunner.RunAsync(_model.Path, options, Conversations(2), _run.Path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Steps);
        Assert.True(File.Exists(Path.Combine(result.OutputDirectory, LoraConfig.FileName)));
    }

    [Fact]
    public async Task Invalid_options_are_refused_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<HanlinException>(() =>
            FineTuneRunner.RunAsync(_model.Path, new FineTuneOptions { BatchSize = 0 }, Conversations(2), _run.Path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("batch_size", error.Message);
    }
}
