using Hanlin.Core.Errors;
using Hanlin.Models.Generation;
using Hanlin.Models.Llama;
using Hanlin.Models.Tokenization;
using TorchSharp;

namespace Hanlin.Models.Tests.Generation;

public sealed class TextGeneratorTests
{
    [Fact]
    public void A_prompt_longer_than_the_context_is_rejected_not_truncated()
    {
        using var model = LlamaModel.CreateRandom(new LlamaConfig(16, 32, 1, 2, 1, 64, 8));
        var generator = new TextGenerator(model);

        var ex = Assert.Throws<HanlinException>(() => generator.Generate(Enumerable.Repeat(1, 9).ToList(), 4));

        Assert.Equal(ErrorCodes.ContextLengthExceeded, ex.Code);
        Assert.Contains("9 tokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generation_stops_when_the_context_is_full()
    {
        using var model = LlamaModel.CreateRandom(new LlamaConfig(16, 32, 1, 2, 1, 64, 8));
        var generated = new TextGenerator(model).Generate([1, 5, 6], 100);

        // 3 prompt positions + 5 fed-back tokens fill 8 positions; the 6th token needs no position.
        Assert.Equal(6, generated.Count);
    }

    [Fact]
    public void A_generation_loop_leaks_no_tensors()
    {
        using var model = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        var generator = new TextGenerator(model);
        generator.Generate([1, 403], 4); // warm up lazily created tensors, if any
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(40, generator.Generate([1, 403, 407], 40).Count);
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public async Task Streaming_yields_the_greedy_tokens_and_stops_promptly_when_cancelled()
    {
        using var model = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        var generator = new TextGenerator(model);
        var prompt = new[] { 1, 403, 407, 261, 378 };
        var greedy = generator.Generate(prompt, 20);

        var streamed = new List<int>();
        await foreach (var token in generator.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 20 }, TestContext.Current.CancellationToken))
        {
            streamed.Add(token);
        }

        Assert.Equal(greedy, streamed);

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var received = new List<int>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var token in generator.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 200 }, cancellation.Token))
            {
                received.Add(token);
                if (received.Count == 3)
                {
                    await cancellation.CancelAsync();
                }
            }
        });
        Assert.Equal(3, received.Count);
    }

    [Fact]
    public async Task Seeded_sampling_is_reproducible_and_top_k_of_one_is_greedy()
    {
        using var model = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer);
        var generator = new TextGenerator(model);
        var prompt = tokenizer.Encode("Once upon a time");
        var sampling = new GenerationOptions { MaxNewTokens = 30, Temperature = 1.0f, TopP = 0.9f, Seed = 42 };

        var first = await Collect(generator.GenerateAsync(prompt, sampling, TestContext.Current.CancellationToken));
        var second = await Collect(generator.GenerateAsync(prompt, sampling, TestContext.Current.CancellationToken));
        var topOne = await Collect(generator.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 30, Temperature = 0.8f, TopK = 1, Seed = 7 }, TestContext.Current.CancellationToken));

        Assert.Equal(first, second);
        Assert.Equal(generator.Generate(prompt, 30), topOne);
        Assert.NotEqual(topOne, first);
    }

    private static async Task<List<int>> Collect(IAsyncEnumerable<int> tokens)
    {
        var list = new List<int>();
        await foreach (var token in tokens)
        {
            list.Add(token);
        }

        return list;
    }
}
