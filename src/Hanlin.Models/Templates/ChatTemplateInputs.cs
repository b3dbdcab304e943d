using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Hanlin.Models.Templates;

/// <summary>
/// Turns Microsoft.Extensions.AI conversations and tools into what Hugging Face chat templates expect, the way
/// OpenAI-compatible servers (vLLM, TGI) do: one template message per chat message, function calls as
/// <c>tool_calls</c>, each function result as its own <c>tool</c> message, and tools as
/// <c>{"type": "function", "function": {"name", "description", "parameters"}}</c>.
/// </summary>
public static class ChatTemplateInputs
{
    private static readonly IReadOnlyDictionary<string, object?> EmptyArguments = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Converts a conversation for <see cref="ChatTemplate.Render(IReadOnlyList{ChatTemplateMessage}, bool, IReadOnlyDictionary{string, object?}?)"/>.</summary>
    public static IReadOnlyList<ChatTemplateMessage> FromChatMessages(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var result = new List<ChatTemplateMessage>();
        foreach (var message in messages)
        {
            var calls = message.Contents.OfType<FunctionCallContent>()
                .Select(call => new ChatTemplateToolCall(call.Name, call.Arguments?.AsReadOnly() ?? EmptyArguments) { Id = call.CallId })
                .ToList();
            var results = message.Contents.OfType<FunctionResultContent>().ToList();
            var text = message.Text;
            if (results.Count == 0 || text.Length > 0 || calls.Count > 0)
            {
                result.Add(new ChatTemplateMessage(message.Role.Value, calls.Count > 0 && text.Length == 0 ? null : text)
                {
                    ToolCalls = calls.Count > 0 ? calls : null,
                    Name = message.AuthorName,
                });
            }

            foreach (var functionResult in results)
            {
                result.Add(new ChatTemplateMessage(ChatRole.Tool.Value, ResultText(functionResult.Result)) { ToolCallId = functionResult.CallId });
            }
        }

        return result;
    }

    /// <summary>The <c>tools</c> variable for the declared functions among <paramref name="tools"/> (others are skipped).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, object?>> ToolDefinitions(IEnumerable<AITool> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        return tools.OfType<AIFunctionDeclaration>()
            .Select(tool => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["type"] = "function",
                ["function"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["name"] = tool.Name,
                    ["description"] = tool.Description,
                    ["parameters"] = tool.JsonSchema,
                },
            })
            .ToList();
    }

    /// <summary>
    /// A structured result is written as Python's <c>json.dumps</c> writes it (", " and ": " separators, non-ASCII
    /// kept), which is what a Python client would have put in the tool message.
    /// </summary>
    private static string ResultText(object? result)
    {
        if (result is null or string)
        {
            return (string?)result ?? string.Empty;
        }

        var element = result as JsonElement? ?? JsonSerializer.SerializeToElement(result, AIJsonUtilities.DefaultOptions);
        return element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : PythonJson.Dumps(TemplateValues.FromClr(element), ensureAscii: false, indent: null, itemSeparator: null, keySeparator: null, sortKeys: false);
    }
}
