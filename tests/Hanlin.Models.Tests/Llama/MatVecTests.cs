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

    [Theory]
    [InlineData(7)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(95)]
    [InlineData(1027)]
    [InlineData(4864)]
    public unsafe void The_bf16_dot_product_over_split_inputs_equals_torch_for_any_length(int length)
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "The hand-written kernels need AVX-512.");
        using var scope = NewDisposeScope();
        manual_seed(length);
        var weights = randn(3, length).to(ScalarType.BFloat16);   // [rows, length]
        var x = randn(length);                                    // fp32, as decode activations are
        var expected = weights.to(ScalarType.Float32).matmul(x).data<float>().ToArray();
        var input = x.data<float>().ToArray();
        var split = new float[length];
        var w = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(weights.bytes).ToArray();

        fixed (float* xp = input)
        fixed (float* sp = split)
        fixed (ushort* wp = w)
        {
            MatVec.SplitForBf16(xp, split, length);
            for (var row = 0; row < 3; row++)
            {
                var actual = MatVec.DotBf16Split(wp + (row * length), sp, length);
                // fp32 products of exact bf16 weights: only the summation order differs from torch.
                Assert.True(Math.Abs(actual - expected[row]) <= 1e-5 * Math.Sqrt(length) * 4, $"row {row}: {actual} vs {expected[row]}");
            }
        }
    }

    [Fact]
    public void Decode_threads_run_every_chunk_of_every_loop_exactly_once()
    {
        var threads = DecodeThreads.Shared;
        var job = new CountingJob();
        for (var loop = 1; loop <= 3000; loop++)
        {
            var chunks = 1 + (loop % 37);
            job.Reset(chunks);
            threads.Run(job, chunks);
            Assert.True(job.Counts.Take(chunks).All(c => c == 1), $"loop {loop}: chunk counts {string.Join(",", job.Counts.Take(chunks))}");
        }
    }

    [Fact]
    public void A_bf16_model_with_odd_sizes_decodes_token_by_token_as_one_full_forward_does()
    {
        using var scope = NewDisposeScope();
        // 1040 and 1100 are not multiples of 32, so every bf16 row ends in a scalar tail; head size 130.
        using var model = LlamaModel.CreateRandom(new LlamaConfig(1040, 1100, 2, 8, 4, 1100, 64), seed: 9, dtype: ScalarType.BFloat16);
        long[] tokens = [1, 17, 400, 1000, 3, 77];
        using var full = model.CreateCache(1, 16);
        var reference = model.Forward(tensor(tokens, 1, tokens.Length), 0, full);   // TorchSharp kernels

        using var cache = model.CreateCache(1, 16);
        for (var i = 0; i < tokens.Length; i++)
        {
            var step = model.Forward(tensor(new[] { tokens[i] }, 1, 1), i, cache);   // the C# decoder on AVX-512 machines
            var scale = reference[0, i].abs().max().item<float>();
            var difference = (step[0, 0] - reference[0, i]).abs().max().item<float>();
            Assert.True(difference < 0.05 * scale, $"position {i}: max |difference| {difference} for max |logit| {scale}");
            Assert.Equal(reference[0, i].argmax().item<long>(), step[0, 0].argmax().item<long>());
        }
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

    private sealed class CountingJob : DecodeThreads.Job
    {
        public int[] Counts { get; } = new int[64];

        public void Reset(int chunks) => Array.Clear(Counts, 0, chunks);

        public override void Run(int chunk) => Interlocked.Increment(ref Counts[chunk]);
    }
}
