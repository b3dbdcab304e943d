namespace Hanlin.Models.Templates;

/// <summary>
/// A function call an assistant message made, as chat templates expect it:
/// <c>{"type": "function", "function": {"name": ..., "arguments": {...}}}</c> (plus <c>"id"</c> when set).
/// </summary>
/// <param name="Name">The function's name.</param>
/// <param name="Arguments">The call's arguments (strings, numbers, booleans, lists, dictionaries or JSON elements).</param>
public sealed record ChatTemplateToolCall(string Name, IReadOnlyDictionary<string, object?> Arguments)
{
    /// <summary>The call's id, when the conversation tracks one (OpenAI-style <c>tool_call_id</c>).</summary>
    public string? Id { get; init; }

    internal OrderedDictionary<string, object?> ToTemplateValue()
    {
        var function = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = Name,
            ["arguments"] = TemplateValues.FromClr(Arguments),
        };
        var call = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        if (Id is not null)
        {
            call["id"] = Id;
        }

        call["type"] = "function";
        call["function"] = function;
        return call;
    }
}
