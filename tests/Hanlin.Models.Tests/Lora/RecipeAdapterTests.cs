using Hanlin.Models.Lora;
using Hanlin.Models.Tests.HuggingFace;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Lora;

/// <summary>
/// An adapter trained on a GPU by the recipe <c>hanlin finetune export</c> writes (torchrun + PEFT; see
/// tools/peft-fixtures/recipe_check.py) loads into Hanlin and gives the logits PEFT computes with it.
/// </summary>
public sealed class RecipeAdapterTests
{
    private const string Fixture = "recipe-trained";

    [Fact]
    public async Task An_adapter_trained_by_the_exported_recipe_gives_the_logits_peft_computes_within_1e_4()
    {
        using var model = await PeftFixtures.LoadBaseAsync(Fixture);
        using var adapter = LoraAdapter.Load(PeftFixtures.Directory(Fixture));
        model.AttachAdapter(adapter);
        using var scope = NewDisposeScope();
        var reference = PeftFixtures.Reference(Fixture);
        var ids = PeftFixtures.Matrix(reference.GetProperty("input_ids"));

        var logits = model.ForwardTraining(ids, ones_like(ids), training: false);

        var difference = HfFixtures.MaxDifference(logits, PeftFixtures.ReferenceTensor(Fixture, "logits"));
        Assert.True(difference <= 1e-4f, $"max |logit difference| {difference}");
        Assert.True(reference.GetProperty("adapter_effect_max_abs").GetDouble() > 1e-3, "the trained adapter changes the base model's logits");
        Assert.True(reference.GetProperty("last_losses")[2].GetDouble() < reference.GetProperty("first_losses")[0].GetDouble(), "the recipe's training lowered the loss");
    }
}
