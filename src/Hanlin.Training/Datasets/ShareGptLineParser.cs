using System.Globalization;
using System.Text.Json;

namespace Hanlin.Training.Datasets;

/// <summary>
/// ShareGPT lines: <c>{"conversations":[{"from":"human","value":"..."}], "system": "..."}</c>. <c>from</c> values:
/// system; human or user; gpt, assistant, chatgpt or bing (the aliases found in published ShareGPT exports).
/// A top-level <c>system</c> string becomes the first turn.
/// </summary>
internal static class ShareGptLineParser
{
    public static TrainingExample? Parse(int lineNumber, JsonElement root, TurnLimits limits, List<DatasetProblem> problems)
    {
        var before = problems.Count;
        if (JsonFields.RequiredArray(root, "conversations", lineNumber, problems) is not { } array)
        {
            return null;
        }

        var turns = new List<LabeledTurn>();
        if (JsonFields.OptionalString(root, "system", "system", lineNumber, problems) is { } system && !string.IsNullOrWhiteSpace(system))
        {
            turns.Add(new LabeledTurn("system", new TrainingMessage(ChatRole.System, system)));
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"conversations[{index++}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MissingField, $"{label} is {JsonFields.Describe(item.ValueKind)}, not an object with 'from' and 'value'."));
                continue;
            }

            var from = JsonFields.RequiredString(item, "from", label, lineNumber, problems);
            var value = JsonFields.RequiredString(item, "value", label, lineNumber, problems);
            if (from is null || value is null)
            {
                continue;
            }

            if (ParseFrom(from) is not { } role)
            {
                problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.UnknownRole, $"{label}: unknown 'from' value '{from}'; expected system, human or gpt."));
                continue;
            }

            turns.Add(new LabeledTurn(label, new TrainingMessage(role, value)));
        }

        if (problems.Count > before)
        {
            return null;
        }

        if (turns.Count == 0)
        {
            problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MissingField, "The field 'conversations' is an empty array."));
            return null;
        }

        return ConversationValidator.Validate(lineNumber, turns, limits, problems)
            ? new TrainingExample(lineNumber, [.. turns.Select(t => t.Message)])
            : null;
    }

    private static ChatRole? ParseFrom(string from) => from.ToLowerInvariant() switch
    {
        "system" => ChatRole.System,
        "human" or "user" => ChatRole.User,
        "gpt" or "assistant" or "chatgpt" or "bing" => ChatRole.Assistant,
        _ => null,
    };
}
