using Hanlin.Models.Generation;
using Hanlin.Models.Llama;
using Hanlin.Models.Tests.HuggingFace;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Llama;

public sealed class MatMulTests
{
    private static readonly int[] Rows = [1, 3, 17, 100, 255];
    private static readonly int[] Outputs = [1, 7, 33, 130];

    public static TheoryData<int, bool> Depths => new()
    {
        { 1, false }, { 15, true }, { 16, false }, { 17, true }, { 896, false }, { 896, true }, { 1500, true },
    };

    [Theory]
    [MemberData(nameof(Depths))]
    public void The_prompt_matrix_product_equals_torch_linear_on_odd_shapes(int columns, bool withBias)
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "The hand-written matmul needs AVX-512; other CPUs use TorchSharp's kernel.");
        using var scope = NewDisposeScope();
        manual_seed(columns);
        foreach (var rows in Rows)
        {
            foreach (var outputs in Outputs)
            {
                var input = randn(rows, columns);
                var weight = randn(outputs, columns);
                var bias = withBias ? randn(outputs) : null;
                Assert.True(MatMul.Applies(input, weight, bias, anySize: true));

                var expected = nn.functional.linear(input, weight, bias);
                var actual = MatMul.Linear(input, weight, bias);

                Assert.Equal(expected.shape, actual.shape);
                // Sums of `columns` products of unit normals: fp32 rounding in another order moves them by ~1e-6 relative.
                var difference = (actual - expected).abs().max().item<float>();
                var scale = Math.Max(1f, expected.abs().max().item<float>());
                Assert.True(difference <= 1e-5f * scale, $"[{rows}, {columns}] x [{outputs}, {columns}]ᵀ: max |difference| {difference} for max |value| {scale}");
            }
        }
    }

    [Fact]
    public void A_batched_input_keeps_its_leading_dimensions()
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "The hand-written matmul needs AVX-512.");
        using var scope = NewDisposeScope();
        var input = randn(2, 40, 64);
        var weight = randn(96, 64);

        var actual = MatMul.Linear(input, weight, null);

        Assert.Equal([2L, 40, 96], actual.shape);
        Assert.True(actual.allclose(nn.functional.linear(input, weight), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Only_fp32_inference_on_contiguous_tensors_large_enough_to_gain_takes_the_hand_written_kernel()
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "The hand-written matmul needs AVX-512.");
        using var scope = NewDisposeScope();
        var input = randn(1, 256, 896);
        var weight = randn(4864, 896);
        Assert.True(MatMul.Applies(input, weight, null));

        Assert.False(MatMul.Applies(input, weight.requires_grad_(true), null));         // training records a graph: TorchSharp
        Assert.False(MatMul.Applies(input, randn(4864, 896).to(ScalarType.BFloat16), null)); // bf16 stays on oneDNN
        Assert.False(MatMul.Applies(input, randn(896, 4864).t(), null));                // a transposed view is not contiguous
        Assert.False(MatMul.Applies(randn(1, 4, 896), randn(4864, 896), null));           // a few rows: not worth packing
        Assert.False(MatMul.Applies(input, randn(8, 896), null));                        // too little work for fork/join
    }

    public static TheoryData<string> Fp32Decoders => [HfFixtures.Llama3Gqa, HfFixtures.Qwen2Tied];

    [Theory]
    [MemberData(nameof(Fp32Decoders))]
    public async Task Forwards_and_greedy_tokens_through_the_hand_written_kernel_match_transformers(string fixture)
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "The hand-written matmul needs AVX-512.");
        using var model = await LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(fixture), cancellationToken: TestContext.Current.CancellationToken);
        using var scope = NewDisposeScope();
        var reference = HfFixtures.Reference(fixture);
        var ids = HfFixtures.Ints(reference.GetProperty("input_ids"));
        using var libtorchCache = model.CreateCache();
        var libtorch = model.Forward(tensor(ids, 1, ids.Length), 0, libtorchCache)[0];   // [seq, vocab]

        model.MatMulAtAnySize = true;
        using var cache = model.CreateCache();
        var logits = model.Forward(tensor(ids, 1, ids.Length), 0, cache)[0];
        var greedy = new TextGenerator(model).Generate(ids.Select(i => (int)i).ToArray(), reference.GetProperty("greedy_tokens").GetArrayLength());

        Assert.True(HfFixtures.MaxDifference(logits, libtorch) <= 1e-4f, $"max |difference| from libtorch {HfFixtures.MaxDifference(logits, libtorch)}");
        Assert.True(HfFixtures.MaxDifference(logits, HfFixtures.ReferenceTensor(fixture, "logits")) <= 1e-4f);
        Assert.Equal(HfFixtures.Ints(reference.GetProperty("greedy_tokens")).Select(i => (int)i), greedy);
    }

    [Fact]
    public void A_prompt_large_enough_for_the_hand_written_kernel_gives_the_logits_of_the_torch_only_forward()
    {
        using var model = LlamaModel.CreateRandom(new LlamaConfig(256, 768, 2, 8, 4, 1000, 128), seed: 11);
        using var scope = NewDisposeScope();
        var tokens = tensor(Enumerable.Range(0, 70).Select(i => (long)((i * 131 % 997) + 1)).ToArray(), 1, 70);
        Assert.True(MatMul.Applies(randn(1, 70, 256), model.Weights.Layers[0].W1, null)); // the FFN goes through MatMul

        using var cache = model.CreateCache(1, 128);
        var logits = model.Forward(tokens, 0, cache);                 // [1, 70, vocab]
        Tensor reference;
        using (no_grad())
        {
            reference = model.ForwardTraining(tokens, training: false); // F.linear everywhere
        }

        var difference = HfFixtures.MaxDifference(logits, reference);
        Assert.True(difference <= 1e-4f, $"max |logit difference| {difference}");
        Assert.Equal(reference.argmax(-1).data<long>().ToArray(), logits.argmax(-1).data<long>().ToArray());
    }
}
