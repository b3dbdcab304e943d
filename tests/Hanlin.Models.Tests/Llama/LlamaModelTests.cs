using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using Hanlin.Models.Llama2c;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Llama;

public sealed class LlamaModelTests
{
    private static readonly long[] Prompt = [1, 403, 407, 261, 378, 267, 378, 286];

    [Fact]
    public void Stories260K_loads_with_its_published_shape()
    {
        using var model = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        Assert.Equal(new LlamaConfig(64, 172, 5, 8, 4, 512, 512), model.Config);
        Assert.Equal(8, model.Config.HeadDim);
        Assert.True(model.Config.TiedClassifier);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Sequences_decoded_together_by_the_csharp_decoder_get_exactly_their_single_sequence_logits(ScalarType dtype)
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "The C# decoder needs AVX-512; other CPUs decode batches with TorchSharp.");
        // Widths that are not multiples of 64 exercise every tail of the four-input dot products.
        using var model = LlamaModel.CreateRandom(new LlamaConfig(80, 200, 2, 5, 1, 300, 64), seed: 9, dtype: dtype);
        using var scope = NewDisposeScope();
        using var shared = model.CreateCache(6, 64);
        int[] slots = [5, 0, 2, 3, 1];
        int[] next = [7, 250, 3, 3, 99];
        var expected = new List<Tensor>();
        for (var i = 0; i < slots.Length; i++)
        {
            var prompt = tensor(Enumerable.Range(1, 2 + (3 * i)).Select(t => (long)((t * 37) % 300)).ToArray(), 1, 2 + (3 * i));
            model.Forward(prompt, 0, shared.Slot(slots[i]));
            using var own = model.CreateCache(1, 64);
            model.Forward(prompt, 0, own);
            expected.Add(model.Forward(tensor(new long[] { next[i] }, 1, 1), 2 + (3 * i), own)); // [1, 1, vocab]
        }

        var together = model.ForwardDecode(next, slots, [.. slots.Select((_, i) => 2 + (3 * i))], shared); // [5, 1, vocab]

        for (var i = 0; i < slots.Length; i++)
        {
            Assert.Equal(0f, (expected[i] - together.narrow(0, i, 1)).abs().max().item<float>());
        }
    }

    [Fact]
    public void Decoding_token_by_token_through_the_cache_matches_one_full_forward()
    {
        using var model = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        using var scope = NewDisposeScope();
        using var fullCache = model.CreateCache();
        var full = model.Forward(tensor(Prompt, 1, Prompt.Length), 0, fullCache); // [1, seq, vocab]

        using var stepCache = model.CreateCache();
        var prefix = model.Forward(tensor(Prompt[..3], 1, 3), 0, stepCache);
        var steps = new List<Tensor> { prefix };
        for (var i = 3; i < Prompt.Length; i++)
        {
            steps.Add(model.Forward(tensor(Prompt[i..(i + 1)], 1, 1), i, stepCache));
        }

        var incremental = cat(steps, 1);
        Assert.True(full.allclose(incremental, rtol: 0, atol: 1e-4), $"max difference {(full - incremental).abs().max().item<float>()}");
    }

    [Fact]
    public void A_prompt_longer_than_one_prefill_chunk_gives_the_logits_of_its_pieces_run_through_the_cache()
    {
        using var model = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        using var scope = NewDisposeScope();
        var prompt = Enumerable.Range(0, 300).Select(i => (long)((i * 37 % 500) + 3)).ToArray(); // crosses the 256-position chunk

        using var chunkedCache = model.CreateCache();
        var chunked = model.Forward(tensor(prompt, 1, prompt.Length), 0, chunkedCache);          // [1, 300, vocab]
        using var lastCache = model.CreateCache();
        var last = model.Forward(tensor(prompt, 1, prompt.Length), 0, lastCache, lastPositionOnly: true);

        // Reference: 100 positions at a time (each from a non-zero start after the first), then token by token.
        using var pieceCache = model.CreateCache();
        var pieces = new List<Tensor>();
        for (var startAt = 0; startAt < 280; startAt += 100)
        {
            var length = Math.Min(100, 280 - startAt);
            pieces.Add(model.Forward(tensor(prompt[startAt..(startAt + length)], 1, length), startAt, pieceCache));
        }

        for (var i = 280; i < prompt.Length; i++)
        {
            pieces.Add(model.Forward(tensor(prompt[i..(i + 1)], 1, 1), i, pieceCache));
        }

        var reference = cat(pieces, 1);
        Assert.Equal([1L, 300, 512], chunked.shape);
        Assert.True(chunked.allclose(reference, rtol: 0, atol: 1e-4), $"max difference {(chunked - reference).abs().max().item<float>()}");
        Assert.True(last[0, 0].allclose(chunked[0, 299], rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void The_half_split_rope_layout_on_permuted_weights_gives_the_interleaved_logits()
    {
        using var model = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        var config = model.Config;
        var w = model.Weights;

        // Hugging Face's conversion permutes q/k rows per head so pair (2j, 2j+1) becomes (j, j + headDim/2).
        Tensor Permute(Tensor weight, int heads) => weight
            .view(heads, config.HeadDim / 2, 2, config.Dim).transpose(1, 2).reshape(heads * config.HeadDim, config.Dim)
            .contiguous().DetachFromDisposeScope();
        Tensor Copy(Tensor t) => t.clone().DetachFromDisposeScope();
        var layers = w.Layers.Select(l => new LlamaLayerWeights(
            Copy(l.AttentionNorm), Permute(l.Wq, config.Heads), Permute(l.Wk, config.KvHeads), Copy(l.Wv), Copy(l.Wo),
            Copy(l.FfnNorm), Copy(l.W1), Copy(l.W2), Copy(l.W3))).ToList();
        using var permuted = new LlamaModel(
            config with { RopeLayout = RopeLayout.HalfSplit },
            new LlamaWeights(Copy(w.TokenEmbedding), layers, Copy(w.FinalNorm), null),
            "permuted");

        using var scope = NewDisposeScope();
        using var cacheA = model.CreateCache();
        using var cacheB = permuted.CreateCache();
        var expected = model.Forward(tensor(Prompt, 1, Prompt.Length), 0, cacheA);
        var actual = permuted.Forward(tensor(Prompt, 1, Prompt.Length), 0, cacheB);

        Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-4), $"max difference {(expected - actual).abs().max().item<float>()}");
    }

    [Fact]
    public void A_bf16_copy_computes_logits_close_to_fp32_with_the_same_prediction()
    {
        using var model = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        using var bf16 = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        bf16.ConvertTo(ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, bf16.DType);

        using var scope = NewDisposeScope();
        using var cacheA = model.CreateCache();
        using var cacheB = bf16.CreateCache();
        var expected = model.Forward(tensor(Prompt, 1, Prompt.Length), 0, cacheA, lastPositionOnly: true);
        var actual = bf16.Forward(tensor(Prompt, 1, Prompt.Length), 0, cacheB, lastPositionOnly: true);

        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference < 0.5f, $"max |fp32 - bf16| logit difference {difference}");
        Assert.Equal(expected.argmax().item<long>(), actual.argmax().item<long>());
        Assert.Equal(5, new Hanlin.Models.Generation.TextGenerator(bf16).Generate([.. Prompt.Select(i => (int)i)], 5).Count);
    }

    [Fact]
    public void A_truncated_checkpoint_is_reported_as_corrupt_naming_the_file()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Stories260K.Checkpoint);
        var path = temp.Write("stories-cut.bin", bytes[..(bytes.Length - 1000)]);

        var ex = Assert.Throws<HanlinException>(() => LlamaModel.LoadLlama2c(path));

        Assert.Equal(ErrorCodes.CorruptFile, ex.Code);
        Assert.Contains("stories-cut.bin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_with_impossible_dimensions_is_reported_as_corrupt()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Stories260K.Checkpoint);
        BitConverter.GetBytes(7).CopyTo(bytes, 12); // n_heads = 7 does not divide dim 64
        var path = temp.Write("stories-bad-heads.bin", bytes);

        var ex = Assert.Throws<HanlinException>(() => LlamaModel.LoadLlama2c(path));

        Assert.Equal(ErrorCodes.CorruptFile, ex.Code);
        Assert.Contains("stories-bad-heads.bin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_checkpoint_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        var ex = Assert.Throws<HanlinException>(() => LlamaModel.LoadLlama2c(temp.File("absent.bin")));
        Assert.Equal(ErrorCodes.FileNotFound, ex.Code);
    }

    [Fact]
    public void The_q8_export_dequantises_to_weights_close_to_the_fp32_checkpoint()
    {
        using var fp32 = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        using var q8 = LlamaModel.LoadLlama2c(Stories260K.QuantizedCheckpoint);
        Assert.Equal(fp32.Config, q8.Config);

        // Q8_0 with groups of 8: each weight is within half a quantisation step (max|group| / 127 / 2).
        var reference = fp32.Weights.Layers[2].W1;
        var dequantised = q8.Weights.Layers[2].W1;
        var step = reference.abs().view(-1, 8).amax([1], keepdim: true) / 127f;
        var error = (reference.view(-1, 8) - dequantised.view(-1, 8)).abs();
        Assert.True((error <= (step * 0.5f) + 1e-6f).all().item<bool>());
        Assert.True(fp32.Weights.Layers[0].AttentionNorm.allclose(q8.Weights.Layers[0].AttentionNorm, rtol: 0, atol: 0));
    }

    [Fact]
    public async Task Loading_asynchronously_reports_progress_up_to_completion()
    {
        var reports = new List<float>();
        using var model = await LlamaModel.LoadLlama2cAsync(Stories260K.Checkpoint, new SynchronousProgress(reports.Add), TestContext.Current.CancellationToken);

        Assert.Equal(512, model.Config.VocabSize);
        Assert.True(reports.Count > 10);
        Assert.Equal(1f, reports[^1]);
        Assert.Equal(reports.Order(), reports);
    }

    [Fact]
    public void A_cancelled_load_throws_and_frees_what_it_had_read()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var progress = new SynchronousProgress(p =>
        {
            if (p > 0.3f)
            {
                cancellation.Cancel();
            }
        });

        // Synchronously, so the tensor statistics (kept per thread) see the whole load.
        Assert.ThrowsAny<OperationCanceledException>(() => Llama2cCheckpoint.Load(Stories260K.Checkpoint, progress, cancellation.Token));
        Assert.True(progress.Calls > 1);
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    // Progress<T> posts to the thread pool; these tests need the callback inline and in order.
    private sealed class SynchronousProgress(Action<float> report) : IProgress<float>
    {
        public int Calls { get; private set; }

        public void Report(float value)
        {
            Calls++;
            report(value);
        }
    }
}
