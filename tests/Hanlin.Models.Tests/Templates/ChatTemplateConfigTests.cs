using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Models.Templates;

namespace Hanlin.Models.Tests.Templates;

public sealed class ChatTemplateConfigTests
{
    [Fact]
    public async Task A_tokenizer_config_yields_its_template_and_special_tokens_as_transformers_passes_them()
    {
        using var directory = new TempDirectory();
        var fixture = Fixture("llama-2-chat.json");
        var config = new Dictionary<string, object?>
        {
            ["bos_token"] = new Dictionary<string, object?> { ["content"] = "<s>", ["lstrip"] = false, ["__type"] = "AddedToken" },
            ["eos_token"] = "</s>",
            ["pad_token"] = null,
            ["chat_template"] = fixture.GetProperty("template").GetString(),
        };
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "tokenizer_config.json"), JsonSerializer.Serialize(config), TestContext.Current.CancellationToken);

        var loaded = await ChatTemplateConfig.LoadAsync(directory.Path, TestContext.Current.CancellationToken);

        Assert.Equal("<s>", loaded.SpecialTokens["bos_token"]);
        Assert.Equal("</s>", loaded.SpecialTokens["eos_token"]);
        Assert.False(loaded.SpecialTokens.ContainsKey("pad_token"));
        var testCase = fixture.GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == "multi_turn_with_generation_prompt");
        var messages = testCase.GetProperty("messages").EnumerateArray()
            .Select(m => new ChatTemplateMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()))
            .ToList();
        Assert.Equal(testCase.GetProperty("expected").GetString(), loaded.Template!.Render(messages, addGenerationPrompt: true, loaded.SpecialTokens));
    }

    [Fact]
    public async Task Named_templates_and_a_chat_template_jinja_file_are_found()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(
            Path.Combine(directory.Path, "tokenizer_config.json"),
            """{"chat_template": [{"name": "default", "template": "D"}, {"name": "tool_use", "template": "T"}]}""",
            TestContext.Current.CancellationToken);

        var named = await ChatTemplateConfig.LoadAsync(directory.Path, TestContext.Current.CancellationToken);
        Assert.Equal("D", named.Template!.Source);
        Assert.Equal("T", named.NamedTemplates["tool_use"].Source);

        await File.WriteAllTextAsync(Path.Combine(directory.Path, "chat_template.jinja"), "J{{ bos_token }}\n", TestContext.Current.CancellationToken);
        var fromFile = await ChatTemplateConfig.LoadAsync(directory.Path, TestContext.Current.CancellationToken);
        Assert.Equal("J", fromFile.Template!.Render([], addGenerationPrompt: false, fromFile.SpecialTokens));
    }

    [Fact]
    public async Task Bad_configurations_name_the_file_and_the_problem()
    {
        using var directory = new TempDirectory();
        var missing = await Assert.ThrowsAsync<HanlinException>(() => ChatTemplateConfig.LoadAsync(directory.Path, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.FileNotFound, missing.Code);

        var path = Path.Combine(directory.Path, "tokenizer_config.json");
        await File.WriteAllTextAsync(path, "{ not json", TestContext.Current.CancellationToken);
        var corrupt = await Assert.ThrowsAsync<HanlinException>(() => ChatTemplateConfig.LoadAsync(directory.Path, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.CorruptFile, corrupt.Code);
        Assert.Contains("tokenizer_config.json", corrupt.Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(path, """{"chat_template": "{% for m in messages %}"}""", TestContext.Current.CancellationToken);
        var invalid = await Assert.ThrowsAsync<HanlinException>(() => ChatTemplateConfig.LoadAsync(directory.Path, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.ChatTemplateInvalid, invalid.Code);
        Assert.Contains("tokenizer_config.json", invalid.Message, StringComparison.Ordinal);
    }

    private static JsonElement Fixture(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(
            SharedData.RepositoryRoot, "tests", "Hanlin.Models.Tests", "Fixtures", "chat_templates", name)));
        return document.RootElement.Clone();
    }
}
