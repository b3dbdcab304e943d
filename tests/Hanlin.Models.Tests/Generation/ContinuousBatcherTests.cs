using Hanlin.Core.Errors;
using Hanlin.Models.Generation;
using Hanlin.Models.Llama;
using Hanlin.Models.Lora;
using Hanlin.Models.Tests.HuggingFace;
using TorchSharp;

namespace Hanlin.Models.Tests.Generation;

public sealed class ContinuousBatcherTests
{
    // Different lengths, so the rows of one decode step sit at different positions of their cache slots.
    private static readonly int[][] Prompts =
    [
        [1, 17, 42, 99, 7],
        [1, 5],
        [1, 200, 3, 64, 64, 12, 9, 31, 77, 150, 2, 18, 19],
        [1, 250, 33],
        [1, 8, 8, 8, 8, 8, 8, 8, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103],
    ];

    // With an adapter attached, decoding leaves the C# decoder for TorchSharp's batched forward (per-row RoPE positions and masks).
    [Theory]
    [InlineData(HfFixtures.Llama3Gqa, false)]
    [InlineData(HfFixtures.Qwen2Tied, false)]
    [InlineData(HfFixtures.Llama3Gqa, true)]
    [InlineData(HfFixtures.Qwen2Tied, true)]
    public async Task Greedy_requests_decoded_together_yield_exactly_the_tokens_each_yields_alone(string fixture, bool adapter)
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(fixture), cancellationToken: TestContext.Current.CancellationToken);
        using var lora = adapter ? LoraAdapter.Create(new LoraConfig(4, 8), model.Config, seed: 1) : null;
        model.AttachAdapter(lora);
        var maxTokens = new[] { 30, 12, 25, 40, 18 }; // rows leave at different steps; the last one decodes alone
        var alone = Prompts.Select((p, i) => new TextGenerator(model).Generate(p, maxTokens[i])).ToArray();

        // Prompts run 4 tokens per step, so requests join the running batch at different steps.
        using var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions { PrefillChunkTokens = 4 });
        Task<List<int>>[] together;
        using (batcher.Hold())
        {
            together = [.. Prompts.Take(4).Select((p, i) => Collect(batcher.GenerateAsync(p, new GenerationOptions { MaxNewTokens = maxTokens[i] })))];
        }

        // The last request arrives while the others are running.
        await foreach (var _ in batcher.GenerateAsync(Prompts[0], new GenerationOptions { MaxNewTokens = 1 }, TestContext.Current.CancellationToken))
        {
        }

        var late = await Collect(batcher.GenerateAsync(Prompts[4], new GenerationOptions { MaxNewTokens = maxTokens[4] }));
        var results = await Task.WhenAll(together);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(alone[i], results[i]);
        }

        Assert.Equal(alone[4], late);
        Assert.True(batcher.LargestDecodeBatch >= 4, $"largest decode batch {batcher.LargestDecodeBatch}");
    }

    [Fact]
    public async Task Sampled_requests_keep_their_own_options_and_seeds_when_decoded_together()
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Llama3Gqa), cancellationToken: TestContext.Current.CancellationToken);
        GenerationOptions[] options =
        [
            new() { MaxNewTokens = 20, Temperature = 0.9f, TopK = 20, Seed = 7 },
            new() { MaxNewTokens = 20, Temperature = 1.2f, TopP = 0.8f, Seed = 11, RepetitionPenalty = 1.3f },
            new() { MaxNewTokens = 20, Temperature = 0.7f, MinP = 0.05f, Seed = 3, PresencePenalty = 0.5f, FrequencyPenalty = 0.4f },
            new() { MaxNewTokens = 20 },
        ];
        var generator = new TextGenerator(model);
        var alone = new List<List<int>>();
        for (var i = 0; i < options.Length; i++)
        {
            alone.Add(await Collect(generator.GenerateAsync(Prompts[i], options[i], TestContext.Current.CancellationToken)));
        }

        using var batcher = new ContinuousBatcher(model);
        Task<List<int>>[] together;
        using (batcher.Hold())
        {
            together = [.. options.Select((o, i) => Collect(batcher.GenerateAsync(Prompts[i], o)))];
        }

        var results = await Task.WhenAll(together);
        for (var i = 0; i < options.Length; i++)
        {
            Assert.Equal(alone[i], results[i]);
        }
    }

    [Fact]
    public async Task Cancelling_one_stream_leaves_the_other_streams_unchanged()
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Llama3Gqa), cancellationToken: TestContext.Current.CancellationToken);
        var generator = new TextGenerator(model);
        var alone = Prompts.Take(3).Select(p => generator.Generate(p, 40)).ToArray();
        using var batcher = new ContinuousBatcher(model);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var received = new List<int>();
        Task<List<int>> first, third;
        Task<bool> cancelled;
        using (batcher.Hold())
        {
            first = Collect(batcher.GenerateAsync(Prompts[0], new GenerationOptions { MaxNewTokens = 40 }));
            cancelled = CancelAfterThreeTokens();
            third = Collect(batcher.GenerateAsync(Prompts[2], new GenerationOptions { MaxNewTokens = 40 }));
        }

        Assert.True(await cancelled);
        Assert.Equal(alone[1].Take(3), received);
        Assert.Equal(alone[0], await first);
        Assert.Equal(alone[2], await third);

        async Task<bool> CancelAfterThreeTokens()
        {
            try
            {
                await foreach (var token in batcher.GenerateAsync(Prompts[1], new GenerationOptions { MaxNewTokens = 40 }, cancellation.Token))
                {
                    received.Add(token);
                    if (received.Count == 3)
                    {
                        await cancellation.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return true;
            }

            return false;
        }
    }

    [Fact]
    public async Task Requests_beyond_the_max_batch_size_wait_in_order_and_all_complete()
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Qwen2Tied), cancellationToken: TestContext.Current.CancellationToken);
        var generator = new TextGenerator(model);
        var alone = Prompts.Select(p => generator.Generate(p, 16)).ToArray();
        using var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions { MaxBatchSize = 2 });
        Task<List<int>>[] together;
        using (batcher.Hold())
        {
            together = [.. Prompts.Select(p => Collect(batcher.GenerateAsync(p, new GenerationOptions { MaxNewTokens = 16 })))];
            Assert.Equal(Prompts.Length, batcher.QueuedCount);
        }

        var results = await Task.WhenAll(together);

        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(alone[i], results[i]);
        }

        Assert.Equal(2, batcher.PeakActiveCount);
        Assert.Equal(2, batcher.LargestDecodeBatch);
        Assert.Equal(0, batcher.QueuedCount);
    }

    [Fact]
    public async Task A_request_cancelled_while_queued_leaves_the_queue_without_running()
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Llama3Gqa), cancellationToken: TestContext.Current.CancellationToken);
        var alone = new TextGenerator(model).Generate(Prompts[0], 20);
        using var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions { MaxBatchSize = 1 });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        Task<List<int>> running, queued;
        using (batcher.Hold())
        {
            running = Collect(batcher.GenerateAsync(Prompts[0], new GenerationOptions { MaxNewTokens = 20 }));
            queued = Collect(batcher.GenerateAsync(Prompts[1], new GenerationOptions { MaxNewTokens = 20 }, cancellation.Token));
            await cancellation.CancelAsync();
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(alone, await running);
        Assert.Equal(1, batcher.PeakActiveCount);
        Assert.Equal(0, batcher.QueuedCount);
    }

    [Fact]
    public async Task Disposing_the_batcher_ends_its_streams_with_an_error_instead_of_leaving_them_waiting()
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Llama3Gqa), cancellationToken: TestContext.Current.CancellationToken);
        var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions { MaxBatchSize = 1 });
        Task<List<int>> queued;
        using (batcher.Hold())
        {
            queued = Collect(batcher.GenerateAsync(Prompts[0], new GenerationOptions { MaxNewTokens = 20 }));
            batcher.Dispose();
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued);
        Assert.Throws<ObjectDisposedException>(() => batcher.GenerateAsync(Prompts[0], new GenerationOptions()).GetAsyncEnumerator(TestContext.Current.CancellationToken).MoveNextAsync().AsTask().GetAwaiter().GetResult());
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_fails_only_its_own_request()
    {
        using var model = LlamaModel.CreateRandom(new LlamaConfig(16, 32, 1, 2, 1, 64, 8));
        var generator = new TextGenerator(model);
        var alone = generator.Generate([1, 5, 6], 100);
        using var batcher = new ContinuousBatcher(model);
        Task<List<int>> before, after;
        Task<List<int>> tooLong;
        using (batcher.Hold())
        {
            before = Collect(batcher.GenerateAsync([1, 5, 6], new GenerationOptions { MaxNewTokens = 100 }));
            tooLong = Collect(batcher.GenerateAsync(Enumerable.Repeat(1, 9).ToList(), new GenerationOptions()));
            after = Collect(batcher.GenerateAsync([1, 5, 6], new GenerationOptions { MaxNewTokens = 100 }));
        }

        var error = await Assert.ThrowsAsync<HanlinException>(() => tooLong);
        Assert.Equal(ErrorCodes.ContextLengthExceeded, error.Code);
        Assert.Contains("9 tokens", error.Message, StringComparison.Ordinal);
        Assert.Equal(alone, await before); // ends when the 8-position context is full, as alone
        Assert.Equal(alone, await after);
    }

    [Fact]
    public async Task Many_batched_steps_leak_no_tensors()
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Llama3Gqa), cancellationToken: TestContext.Current.CancellationToken);
        using var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions { MaxBatchSize = 3, PrefillChunkTokens = 5 });
        await Round(); // warm up lazily created tensors (the C# decoder, if any)
        var before = await batcher.CountIdleLoopTensorsAsync();

        for (var i = 0; i < 3; i++)
        {
            await Round();
        }

        Assert.Equal(before, await batcher.CountIdleLoopTensorsAsync());

        async Task Round()
        {
            Task<List<int>>[] requests;
            using (batcher.Hold())
            {
                requests = [.. Prompts.Select(p => Collect(batcher.GenerateAsync(p, new GenerationOptions { MaxNewTokens = 30 })))];
            }

            Assert.All(await Task.WhenAll(requests), r => Assert.Equal(30, r.Count));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Decoding_rows_at_different_positions_in_scattered_slots_matches_each_sequence_alone(bool adapter)
    {
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Qwen2Tied), cancellationToken: TestContext.Current.CancellationToken);
        using var lora = adapter ? LoraAdapter.Create(new LoraConfig(4, 8), model.Config, seed: 1) : null;
        model.AttachAdapter(lora);
        using var scope = torch.NewDisposeScope();
        using var shared = model.CreateCache(4, 32);
        var slots = new[] { 3, 0 };
        var prompts = new[] { Prompts[2], Prompts[1] };
        var next = new[] { 40, 41 };
        var expected = new List<torch.Tensor>();
        for (var i = 0; i < 2; i++)
        {
            var prompt = torch.tensor(prompts[i].Select(t => (long)t).ToArray(), 1, prompts[i].Length);
            model.Forward(prompt, 0, shared.Slot(slots[i]));
            using var own = model.CreateCache(1, 32);
            model.Forward(prompt, 0, own);
            expected.Add(model.Forward(torch.tensor(new long[] { next[i] }, 1, 1), prompts[i].Length, own)); // [1, 1, vocab]
        }

        var together = model.ForwardDecode(next, slots, [prompts[0].Length, prompts[1].Length], shared); // [2, 1, vocab]

        for (var i = 0; i < 2; i++)
        {
            Assert.True(HfFixtures.MaxDifference(expected[i], together.narrow(0, i, 1)) < 1e-4f);
        }
    }

    private static async Task<List<int>> Collect(IAsyncEnumerable<int> tokens)
    {
        var result = new List<int>();
        await foreach (var token in tokens)
        {
            result.Add(token);
        }

        return result;
    }
}
