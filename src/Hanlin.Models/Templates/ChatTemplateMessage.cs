namespace Hanlin.Models.Templates;

/// <summary>
/// One chat message as templates see it: a dictionary with <c>role</c> and <c>content</c>, plus
/// <c>tool_calls</c>, <c>tool_call_id</c> and <c>name</c> only when set (templates test <c>'tool_calls' in message</c>).
/// A null <see cref="Content"/> leaves the <c>content</c> key out, as an assistant message that only calls tools does.
/// </summary>
/// <param name="Role">system, user, assistant, tool (or ipython), as the template expects.</param>
/// <param name="Content">The message text.</param>
public sealed record ChatTemplateMessage(string Role, string? Content)
{
    /// <summary>Function calls of an assistant message.</summary>
    public IReadOnlyList<ChatTemplateToolCall>? ToolCalls { get; init; }

    /// <summary>For a tool message: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>For a tool message: the name of the function that produced it.</summary>
    public string? Name { get; init; }

    internal OrderedDictionary<string, object?> ToTemplateValue()
    {
        var message = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["role"] = Role };
        if (Content is not null)
        {
            message["content"] = Content;
        }

        if (ToolCalls is not null)
        {
            message["tool_calls"] = ToolCalls.Select(call => (object?)call.ToTemplateValue()).ToList();
        }

        if (ToolCallId is not null)
        {
            message["tool_call_id"] = ToolCallId;
        }

        if (Name is not null)
        {
            message["name"] = Name;
        }

        return message;
    }
}
