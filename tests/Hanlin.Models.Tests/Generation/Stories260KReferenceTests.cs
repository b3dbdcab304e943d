using Hanlin.Models.Generation;
using Hanlin.Models.Llama;
using Hanlin.Models.Tokenization;

namespace Hanlin.Models.Tests.Generation;

public sealed class Stories260KReferenceTests
{
    [Fact]
    public void Every_reference_generation_is_reproduced_token_for_token_and_byte_for_byte()
    {
        using var model = LlamaModel.LoadLlama2c(Stories260K.Checkpoint);
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer, model.Config.VocabSize);
        var generator = new TextGenerator(model);
        var cases = Stories260K.References().GetProperty("generation_cases").EnumerateArray().ToList();
        Assert.Equal(6, cases.Count);
        foreach (var testCase in cases)
        {
            var prompt = tokenizer.Encode(testCase.GetProperty("prompt").GetString()!);
            // run.c's -n counts positions including the prompt: steps - prompt + 1 new tokens, stopping at BOS.
            var maxNewTokens = testCase.GetProperty("llama2c_steps").GetInt32() - prompt.Count + 1;

            var generated = generator.Generate(prompt, maxNewTokens, new HashSet<int> { tokenizer.BosId });

            Assert.Equal(Stories260K.Ints(testCase.GetProperty("generated_token_ids_after_prompt")), generated);
            Assert.Equal(testCase.GetProperty("generated_text_after_prompt").GetString(), tokenizer.Decode(generated));
        }
    }
}
