using Hanlin.Core.Errors;
using Hanlin.Models.Bert;
using Hanlin.Models.Tests.HuggingFace;
using Microsoft.Extensions.AI;
using TorchSharp;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Bert;

/// <summary>BERT embeddings against sentence embeddings transformers computed for the same tiny checkpoint and texts.</summary>
public sealed class BertEmbeddingGeneratorTests
{
    private const float Tolerance = 1e-4f;

    private static string[] Texts => HfFixtures.Reference(HfFixtures.Bert).GetProperty("texts").EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public void The_wordpiece_tokenizer_gives_the_ids_transformers_gives()
    {
        var tokenizer = WordPieceBertTokenizer.FromDirectory(HfFixtures.Directory(HfFixtures.Bert));
        var expected = HfFixtures.Reference(HfFixtures.Bert).GetProperty("input_ids").EnumerateArray().Select(HfFixtures.Ints).ToArray();

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Select(id => (int)id), tokenizer.Encode(Texts[i]));
        }
    }

    [Theory]
    [InlineData(EmbeddingPooling.Mean, "mean")]
    [InlineData(EmbeddingPooling.Cls, "cls")]
    public async Task Pooled_normalised_embeddings_match_transformers_within_1e_4(EmbeddingPooling pooling, string reference)
    {
        using var generator = await BertEmbeddingGenerator.LoadAsync(
            HfFixtures.Directory(HfFixtures.Bert), new BertEmbeddingOptions { Pooling = pooling }, cancellationToken: TestContext.Current.CancellationToken);

        var embeddings = await generator.GenerateAsync(Texts, cancellationToken: TestContext.Current.CancellationToken);

        using var scope = NewDisposeScope();
        var expected = HfFixtures.ReferenceTensor(HfFixtures.Bert, reference); // [texts, hidden]
        var actual = stack(embeddings.Select(e => tensor(e.Vector.ToArray())));
        var difference = HfFixtures.MaxDifference(actual, expected);
        Assert.True(difference <= Tolerance, $"max |difference| {difference}");
        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Vector.ToArray().Sum(v => (double)v * v)), 5));
    }

    [Fact]
    public async Task Without_normalisation_mean_pooling_gives_transformers_raw_mean()
    {
        using var generator = await BertEmbeddingGenerator.LoadAsync(
            HfFixtures.Directory(HfFixtures.Bert), new BertEmbeddingOptions { Pooling = EmbeddingPooling.Mean, Normalize = false }, cancellationToken: TestContext.Current.CancellationToken);

        var embeddings = await generator.GenerateAsync(Texts, cancellationToken: TestContext.Current.CancellationToken);

        using var scope = NewDisposeScope();
        var actual = stack(embeddings.Select(e => tensor(e.Vector.ToArray())));
        var difference = HfFixtures.MaxDifference(actual, HfFixtures.ReferenceTensor(HfFixtures.Bert, "mean_raw"));
        Assert.True(difference <= Tolerance, $"max |difference| {difference}");
    }

    [Fact]
    public async Task Padding_in_a_batch_does_not_change_an_embedding()
    {
        var directory = HfFixtures.Directory(HfFixtures.Bert);
        using var batched = await BertEmbeddingGenerator.LoadAsync(directory, cancellationToken: TestContext.Current.CancellationToken);
        using var single = await BertEmbeddingGenerator.LoadAsync(directory, new BertEmbeddingOptions { MaxBatchSize = 1 }, cancellationToken: TestContext.Current.CancellationToken);

        var together = await batched.GenerateAsync(Texts, cancellationToken: TestContext.Current.CancellationToken);
        var alone = await single.GenerateAsync(Texts, cancellationToken: TestContext.Current.CancellationToken);

        for (var i = 0; i < Texts.Length; i++)
        {
            var gap = together[i].Vector.ToArray().Zip(alone[i].Vector.ToArray(), (a, b) => Math.Abs(a - b)).Max();
            Assert.True(gap <= 1e-5f, $"text {i}: {gap}");
        }
    }

    [Fact]
    public async Task Usage_counts_every_token_fed_to_the_model_and_metadata_names_the_model()
    {
        using var generator = await BertEmbeddingGenerator.LoadAsync(HfFixtures.Directory(HfFixtures.Bert), cancellationToken: TestContext.Current.CancellationToken);
        var expectedTokens = HfFixtures.Reference(HfFixtures.Bert).GetProperty("input_ids").EnumerateArray().Sum(ids => ids.GetArrayLength());

        var embeddings = await generator.GenerateAsync(Texts, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(expectedTokens, embeddings.Usage!.InputTokenCount);
        Assert.Equal(expectedTokens, embeddings.Usage.TotalTokenCount);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal("bert", metadata.DefaultModelId);
        Assert.Equal(64, metadata.DefaultModelDimensions);
        Assert.All(embeddings, e => Assert.Equal("bert", e.ModelId));
    }

    [Fact]
    public async Task A_text_longer_than_the_model_positions_is_an_error_not_a_truncation()
    {
        using var generator = await BertEmbeddingGenerator.LoadAsync(HfFixtures.Directory(HfFixtures.Bert), cancellationToken: TestContext.Current.CancellationToken);
        var longText = string.Join(' ', Enumerable.Repeat("knowledge", 100)); // 100 tokens + 2 specials > 64 positions

        var error = await Assert.ThrowsAsync<HanlinException>(() => generator.GenerateAsync([longText], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.ContextLengthExceeded, error.Code);
    }

    [Fact]
    public async Task Embedding_leaves_no_tensors_alive()
    {
        using var generator = await BertEmbeddingGenerator.LoadAsync(HfFixtures.Directory(HfFixtures.Bert), cancellationToken: TestContext.Current.CancellationToken);
        using var model = await BertModel.LoadHuggingFaceAsync(HfFixtures.Directory(HfFixtures.Bert), cancellationToken: TestContext.Current.CancellationToken);
        var direct = new BertEmbeddingGenerator(model, WordPieceBertTokenizer.FromDirectory(HfFixtures.Directory(HfFixtures.Bert)));
        await direct.GenerateAsync(Texts, cancellationToken: TestContext.Current.CancellationToken);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        // GenerateAsync computes on the thread pool; the synchronous model call shows this thread's balance.
        using (var scope = NewDisposeScope())
        {
            model.Forward(tensor(new long[] { 2, 67, 3 }, 1, 3), ones(1, 3, ScalarType.Int64)).Dispose();
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public async Task A_bert_directory_without_vocab_txt_names_the_missing_vocabulary()
    {
        using var temp = new TempDirectory();
        var path = HfFixtures.CopyTo(HfFixtures.Bert, temp);
        File.Delete(Path.Combine(path, "vocab.txt"));

        var error = await Assert.ThrowsAsync<HanlinException>(() => BertEmbeddingGenerator.LoadAsync(path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.FileNotFound, error.Code);
        Assert.Contains("vocab.txt", error.Message, StringComparison.Ordinal);
    }
}
