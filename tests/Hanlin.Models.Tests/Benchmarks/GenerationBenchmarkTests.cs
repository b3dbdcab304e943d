using Hanlin.Models.Benchmarks;
using Hanlin.Models.Llama;

namespace Hanlin.Models.Tests.Benchmarks;

public sealed class GenerationBenchmarkTests
{
    [Fact]
    public void A_benchmark_run_reports_what_it_measured()
    {
        using var model = LlamaModel.CreateRandom(new LlamaConfig(32, 64, 2, 4, 2, 100, 64));

        var result = GenerationBenchmark.Run(model, promptTokens: 16, decodeTokens: 8, TestContext.Current.CancellationToken);

        Assert.Equal("random", result.Model);
        Assert.Equal(model.ParameterCount, result.Parameters);
        Assert.Equal(16, result.PromptTokens);
        Assert.Equal(8, result.DecodeTokens);
        Assert.True(result.PromptTokensPerSecond > 0 && result.DecodeTokensPerSecond > 0);
        Assert.True(result.PeakWorkingSetBytes > 0);
    }

    [Fact]
    public async Task A_concurrent_benchmark_run_reports_aggregate_decode_throughput()
    {
        using var model = LlamaModel.CreateRandom(new LlamaConfig(32, 64, 2, 4, 2, 100, 64));

        var result = await GenerationBenchmark.RunConcurrentAsync(model, concurrency: 3, promptTokens: 8, decodeTokens: 24, TestContext.Current.CancellationToken);

        Assert.Equal(3, result.Concurrency);
        Assert.True(result.DecodeTokensPerSecond > 0);
        Assert.Equal(result.DecodeTokensPerSecond / 3, result.PerRequestTokensPerSecond, 6);
    }

    [Fact]
    public void The_reference_shape_has_about_four_hundred_million_parameters()
    {
        var c = GenerationBenchmark.ReferenceShape;
        long perLayer = (2L * c.Dim * c.Dim) + (2L * c.KvDim * c.Dim) + (3L * c.HiddenDim * c.Dim) + (2L * c.Dim);
        var total = (c.Layers * perLayer) + ((long)c.VocabSize * c.Dim) + c.Dim;

        Assert.InRange(total, 380_000_000, 420_000_000);
    }

    [Fact]
    public void Asking_for_more_tokens_than_the_context_is_refused()
    {
        using var model = LlamaModel.CreateRandom(new LlamaConfig(16, 32, 1, 2, 1, 50, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => GenerationBenchmark.Run(model, 30, 8, TestContext.Current.CancellationToken));
    }
}
