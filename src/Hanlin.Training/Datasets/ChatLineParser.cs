using System.Globalization;
using System.Text.Json;

namespace Hanlin.Training.Datasets;

/// <summary>
/// OpenAI fine-tuning lines: <c>{"messages":[{"role":"system|user|assistant","content":"..."}]}</c>. Other keys
/// (<c>weight</c>, <c>name</c>) are ignored; tool and function roles are refused as unknown, since the trainer has
/// no template for them yet.
/// </summary>
internal static class ChatLineParser
{
    public static TrainingExample? Parse(int lineNumber, JsonElement root, TurnLimits limits, List<DatasetProblem> problems)
    {
        var before = problems.Count;
        if (JsonFields.RequiredArray(root, "messages", lineNumber, problems) is not { } array)
        {
            return null;
        }

        var turns = new List<LabeledTurn>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"messages[{index++}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MissingField, $"{label} is {JsonFields.Describe(item.ValueKind)}, not an object with 'role' and 'content'."));
                continue;
            }

            var roleText = JsonFields.RequiredString(item, "role", label, lineNumber, problems);
            var content = JsonFields.RequiredString(item, "content", label, lineNumber, problems);
            if (roleText is null || content is null)
            {
                continue;
            }

            if (ParseRole(roleText) is not { } role)
            {
                problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.UnknownRole, $"{label}: unknown role '{roleText}'; expected system, user or assistant."));
                continue;
            }

            turns.Add(new LabeledTurn(label, new TrainingMessage(role, content)));
        }

        if (problems.Count > before)
        {
            return null;
        }

        if (turns.Count == 0)
        {
            problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MissingField, "The field 'messages' is an empty array."));
            return null;
        }

        return ConversationValidator.Validate(lineNumber, turns, limits, problems)
            ? new TrainingExample(lineNumber, [.. turns.Select(t => t.Message)])
            : null;
    }

    private static ChatRole? ParseRole(string role) => role switch
    {
        "system" or "developer" => ChatRole.System,
        "user" => ChatRole.User,
        "assistant" => ChatRole.Assistant,
        _ => null,
    };
}
