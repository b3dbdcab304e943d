using Hanlin.Core.Errors;
using Hanlin.Rag.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Rag.Tests;

/// <summary>What AddHanlinRag composes: named chat models, the default, and the extractive fallback.</summary>
[Collection(SampleCollection.Name)]
public sealed class CompositionTests(SampleKnowledgeBase kb)
{
    [Fact]
    public void Without_chat_models_the_catalog_answers_extractively()
    {
        using var services = kb.Compose();
        var catalog = services.GetRequiredService<ChatModelCatalog>();

        Assert.Empty(catalog.Names);
        Assert.Equal(ChatModelCatalog.Extractive, catalog.DefaultModel);
        Assert.Null(catalog.Resolve(null));
    }

    [Fact]
    public void Named_chat_models_are_listed_and_the_configured_default_is_used()
    {
        using var a = new FixedChatClient("a");
        using var b = new FixedChatClient("b");
        using var services = kb.Compose(
            s => s.AddHanlinChatModel("alpha", _ => a).AddHanlinChatModel("beta", _ => b),
            new Dictionary<string, string?> { ["Rag:DefaultChatModel"] = "beta" });
        var catalog = services.GetRequiredService<ChatModelCatalog>();

        Assert.Equal(["alpha", "beta"], catalog.Names);
        Assert.Same(b, catalog.Resolve(null));
        Assert.Same(a, catalog.Resolve("ALPHA"));
        Assert.Null(catalog.Resolve("extractive"));
        Assert.Equal(ErrorCodes.UnsupportedModel, Assert.Throws<HanlinException>(() => catalog.Resolve("gamma")).Code);
    }
}
