using Hanlin.Models.Llama;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Llama;

public sealed class MatVecTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 1e-4)]
    [InlineData(ScalarType.BFloat16, 2e-2)]
    public void The_decode_matrix_vector_product_equals_torch_linear(ScalarType dtype, double tolerance)
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "The hand-written matvec needs AVX-512; other CPUs use TorchSharp's kernel.");
        using var scope = NewDisposeScope();
        manual_seed(3);
        var weight = randn(1031, 1027).to(dtype);   // odd sizes exercise every loop tail
        var bias = randn(1031).to(dtype);
        var input = randn(1, 1, 1027).to(dtype);
        Assert.True(MatVec.Applies(input, weight));

        var expected = nn.functional.linear(input.to(ScalarType.Float32), weight.to(ScalarType.Float32), bias.to(ScalarType.Float32));
        var actual = MatVec.Linear(input, weight, bias);

        Assert.Equal(dtype, actual.dtype);
        Assert.Equal([1L, 1, 1031], actual.shape);
        var difference = (actual.to(ScalarType.Float32) - expected).abs().max().item<float>();
        var scale = expected.abs().max().item<float>();
        Assert.True(difference <= tolerance * scale, $"max |difference| {difference} for max |value| {scale}");
    }

    [Fact]
    public void Decoding_token_by_token_with_large_matrices_matches_one_full_forward()
    {
        using var scope = NewDisposeScope();
        using var model = LlamaModel.CreateRandom(new LlamaConfig(1024, 1024, 2, 8, 4, 1100, 64), seed: 5);
        long[] tokens = [1, 17, 400, 1000, 3, 77];
        using var full = model.CreateCache(1, 16);
        var reference = model.Forward(tensor(tokens, 1, tokens.Length), 0, full);   // [1, 6, vocab], TorchSharp kernels

        using var cache = model.CreateCache(1, 16);
        for (var i = 0; i < tokens.Length; i++)
        {
            var step = model.Forward(tensor(new[] { tokens[i] }, 1, 1), i, cache);   // MatVec on AVX-512 machines
            var difference = (step[0, 0] - reference[0, i]).abs().max().item<float>();
            Assert.True(difference < 1e-3, $"position {i}: max |difference| {difference}");
        }
    }
}
