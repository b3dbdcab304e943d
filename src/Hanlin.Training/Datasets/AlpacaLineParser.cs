using System.Globalization;
using System.Text.Json;

namespace Hanlin.Training.Datasets;

/// <summary>
/// Alpaca lines: <c>instruction</c> and <c>output</c> required, <c>input</c> optional (appended to the instruction
/// after a blank line, as the Alpaca prompt does), <c>system</c> optional, and <c>history</c> optional: earlier
/// turns as <c>[[instruction, response], ...]</c> (the LLaMA-Factory convention), placed before the instruction.
/// </summary>
internal static class AlpacaLineParser
{
    public static TrainingExample? Parse(int lineNumber, JsonElement root, TurnLimits limits, List<DatasetProblem> problems)
    {
        var before = problems.Count;
        var instruction = JsonFields.RequiredString(root, "instruction", "instruction", lineNumber, problems);
        var input = JsonFields.OptionalString(root, "input", "input", lineNumber, problems);
        var output = JsonFields.RequiredString(root, "output", "output", lineNumber, problems);
        var system = JsonFields.OptionalString(root, "system", "system", lineNumber, problems);
        var turns = new List<LabeledTurn>();
        if (!string.IsNullOrWhiteSpace(system))
        {
            turns.Add(new LabeledTurn("system", new TrainingMessage(ChatRole.System, system)));
        }

        if (root.TryGetProperty("history", out var history) && history.ValueKind != JsonValueKind.Null)
        {
            ReadHistory(lineNumber, history, turns, problems);
        }

        if (problems.Count > before || instruction is null || output is null)
        {
            return null;
        }

        var prompt = string.IsNullOrWhiteSpace(input) || string.IsNullOrWhiteSpace(instruction) ? instruction : $"{instruction}\n\n{input}";
        turns.Add(new LabeledTurn("instruction", new TrainingMessage(ChatRole.User, prompt)));
        turns.Add(new LabeledTurn("output", new TrainingMessage(ChatRole.Assistant, output)));
        return ConversationValidator.Validate(lineNumber, turns, limits, problems)
            ? new TrainingExample(lineNumber, [.. turns.Select(t => t.Message)])
            : null;
    }

    private static void ReadHistory(int lineNumber, JsonElement history, List<LabeledTurn> turns, List<DatasetProblem> problems)
    {
        if (history.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MissingField, $"The field 'history' is {JsonFields.Describe(history.ValueKind)}, not an array of [instruction, response] pairs."));
            return;
        }

        var index = 0;
        foreach (var pair in history.EnumerateArray())
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"history[{index++}]");
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String)
            {
                problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MissingField, $"{label} is not a pair of strings [instruction, response]."));
                continue;
            }

            turns.Add(new LabeledTurn($"{label}[0]", new TrainingMessage(ChatRole.User, pair[0].GetString()!)));
            turns.Add(new LabeledTurn($"{label}[1]", new TrainingMessage(ChatRole.Assistant, pair[1].GetString()!)));
        }
    }
}
