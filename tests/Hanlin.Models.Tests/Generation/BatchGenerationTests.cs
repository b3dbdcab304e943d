using Hanlin.Models.Generation;
using Hanlin.Models.Llama;
using Hanlin.Models.Tokenization;

namespace Hanlin.Models.Tests.Generation;

public sealed class BatchGenerationTests
{
    [Fact]
    public void Prompts_of_different_lengths_generated_in_one_batch_match_each_prompt_generated_alone()
    {
        using var model = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer, model.Config.VocabSize);
        var generator = new TextGenerator(model);
        IReadOnlyList<int>[] prompts =
        [
            tokenizer.Encode("Once upon a time"),
            tokenizer.Encode("Lily"),
            tokenizer.Encode("The little dog ran to the park and saw a big"),
        ];
        var stop = new HashSet<int> { tokenizer.BosId };

        var batched = generator.GenerateBatch(prompts, new GenerationOptions { MaxNewTokens = 40, StopTokenIds = stop }, TestContext.Current.CancellationToken);

        Assert.Equal(3, batched.Count);
        for (var b = 0; b < prompts.Length; b++)
        {
            Assert.Equal(generator.Generate(prompts[b], 40, stop), batched[b]);
        }
    }

    [Fact]
    public async Task Batched_generation_of_a_grouped_query_llama3_model_matches_single_sequences()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf", "llama3-gqa");
        using var model = await LlamaModel.LoadHuggingFaceAsync(directory, cancellationToken: TestContext.Current.CancellationToken);
        var generator = new TextGenerator(model);
        IReadOnlyList<int>[] prompts = [[1, 17, 42, 99, 7], [1, 5], [1, 200, 3]];

        var batched = generator.GenerateBatch(prompts, new GenerationOptions { MaxNewTokens = 12 }, TestContext.Current.CancellationToken);

        for (var b = 0; b < prompts.Length; b++)
        {
            Assert.Equal(generator.Generate(prompts[b], 12), batched[b]);
        }
    }
}
