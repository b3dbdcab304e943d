using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Models.Templates;

namespace Hanlin.Models.Tests.Templates;

/// <summary>
/// Every case rendered by Hugging Face transformers (tools/chat-template-fixtures/generate.py) with the real
/// templates of Qwen2.5, Llama-3, Llama-3.1, Llama-2, Mistral and Qwen3 must come out byte for byte the same.
/// </summary>
public sealed class ChatTemplateFixtureTests
{
    private static readonly string FixtureDirectory =
        Path.Combine(SharedData.RepositoryRoot, "tests", "Hanlin.Models.Tests", "Fixtures", "chat_templates");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(FixtureDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            foreach (var testCase in Load(Path.GetFileName(file)).GetProperty("cases").EnumerateArray())
            {
                data.Add(Path.GetFileName(file), testCase.GetProperty("name").GetString()!);
            }
        }

        return data;
    }

    [Fact]
    public void Fixtures_cover_every_model_family_with_outputs_and_rejections()
    {
        var files = Directory.GetFiles(FixtureDirectory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["llama-2-chat.json", "llama-3-instruct.json", "llama-3.1-instruct.json", "mistral-instruct.json", "qwen2.5-instruct.json", "qwen3.json"], files);
        var cases = files.SelectMany(file => Load(file!).GetProperty("cases").EnumerateArray()).ToList();
        Assert.True(cases.Count(c => c.TryGetProperty("expected", out _)) >= 50);
        Assert.True(cases.Count(c => c.TryGetProperty("error", out _)) >= 5);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rendering_matches_transformers_byte_for_byte(string file, string caseName)
    {
        var fixture = Load(file);
        var template = ChatTemplate.Parse(fixture.GetProperty("template").GetString()!);
        var testCase = fixture.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == caseName);
        var messages = testCase.GetProperty("messages");
        var addGenerationPrompt = testCase.GetProperty("add_generation_prompt").GetBoolean();
        var extra = testCase.GetProperty("extra").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value, StringComparer.Ordinal);

        // Raw variables, as transformers passes them: messages as given, tools and documents None unless set.
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = messages,
            ["tools"] = null,
            ["documents"] = null,
            ["add_generation_prompt"] = addGenerationPrompt,
        };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        // The typed API gives the same result whenever the messages are plain role/content pairs.
        var typed = messages.EnumerateArray().All(m => m.EnumerateObject().All(p => p.Name is "role" or "content" && p.Value.ValueKind == JsonValueKind.String))
            ? messages.EnumerateArray().Select(m => new ChatTemplateMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString())).ToList()
            : null;

        if (testCase.TryGetProperty("error", out var error))
        {
            var exception = Assert.Throws<HanlinException>(() => template.Render(variables));
            Assert.Equal(ErrorCodes.ChatTemplateRejected, exception.Code);
            Assert.Contains(error.GetString()!, exception.Message, StringComparison.Ordinal);
            if (typed is not null)
            {
                Assert.Equal(ErrorCodes.ChatTemplateRejected, Assert.Throws<HanlinException>(() => template.Render(typed, addGenerationPrompt, extra)).Code);
            }

            return;
        }

        var expected = testCase.GetProperty("expected").GetString()!;
        Assert.Equal(expected, template.Render(variables));
        if (typed is not null)
        {
            Assert.Equal(expected, template.Render(typed, addGenerationPrompt, extra));
        }
    }

    private static JsonElement Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixtureDirectory, file)));
        return document.RootElement.Clone();
    }
}
