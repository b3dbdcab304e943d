using System.Text.Json;
using Hanlin.Models.Templates;
using Microsoft.Extensions.AI;

namespace Hanlin.Models.Tests.Templates;

public sealed class ChatTemplateInputsTests
{
    [Fact]
    public void A_tool_calling_conversation_from_microsoft_extensions_ai_renders_as_transformers_renders_it()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(
            SharedData.RepositoryRoot, "tests", "Hanlin.Models.Tests", "Fixtures", "chat_templates", "qwen2.5-instruct.json")));
        var fixture = document.RootElement;
        var testCase = fixture.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "tool_calls_and_responses");
        var fixtureTools = testCase.GetProperty("extra").GetProperty("tools").EnumerateArray()
            .Select(t => t.GetProperty("function"))
            .Select(f => new DeclaredFunction(f.GetProperty("name").GetString()!, f.GetProperty("description").GetString()!, f.GetProperty("parameters").Clone()))
            .ToList();

        var conversation = new List<ChatMessage>
        {
            new(ChatRole.System, "You are a careful assistant for a hospital's internal knowledge base."),
            new(ChatRole.User, "北京今天天气怎么样？"),
            new(ChatRole.Assistant,
            [
                new FunctionCallContent("call-1", "get_current_weather", new Dictionary<string, object?> { ["location"] = "北京", ["unit"] = "celsius" }),
                new FunctionCallContent("call-2", "get_current_weather", new Dictionary<string, object?> { ["location"] = "上海", ["days"] = 2 }),
            ]),
            new(ChatRole.Tool,
            [
                new FunctionResultContent("call-1", "{\"temperature\": 21, \"condition\": \"晴\"}"),
                new FunctionResultContent("call-2", JsonSerializer.SerializeToElement(new { temperature = 24, condition = "多云" })),
            ]),
            new(ChatRole.Assistant, "北京今天晴，21°C；上海多云，24°C。"),
            new(ChatRole.User, "Thanks."),
        };

        var template = ChatTemplate.Parse(fixture.GetProperty("template").GetString()!);
        var rendered = template.Render(
            ChatTemplateInputs.FromChatMessages(conversation),
            addGenerationPrompt: true,
            new Dictionary<string, object?> { ["tools"] = ChatTemplateInputs.ToolDefinitions(fixtureTools), ["eos_token"] = "<|im_end|>" });

        Assert.Equal(testCase.GetProperty("expected").GetString(), rendered);
    }

    [Fact]
    public void Function_results_become_tool_messages_that_answer_their_call()
    {
        var messages = ChatTemplateInputs.FromChatMessages(
        [
            new(ChatRole.Assistant, [new TextContent("Checking."), new FunctionCallContent("c1", "lookup", null)]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", 42)]),
        ]);

        Assert.Collection(
            messages,
            assistant =>
            {
                Assert.Equal(("assistant", "Checking."), (assistant.Role, assistant.Content));
                Assert.Equal("lookup", Assert.Single(assistant.ToolCalls!).Name);
            },
            tool => Assert.Equal(("tool", "42", "c1"), (tool.Role, tool.Content, tool.ToolCallId)));
    }

    private sealed class DeclaredFunction(string name, string description, JsonElement schema) : AIFunctionDeclaration
    {
        public override string Name => name;

        public override string Description => description;

        public override JsonElement JsonSchema => schema;
    }
}
