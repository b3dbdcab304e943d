using System.Globalization;

namespace Hanlin.Training.Datasets;

/// <summary>
/// The checks shared by every conversational format. Order rule: at most one system turn, first; then user and
/// assistant alternate starting with user. Consecutive user turns are refused rather than merged, because merging
/// would silently change what the model is taught to answer.
/// </summary>
internal static class ConversationValidator
{
    /// <summary>Adds every problem of <paramref name="turns"/> to <paramref name="problems"/>; true when there was none.</summary>
    public static bool Validate(int lineNumber, IReadOnlyList<LabeledTurn> turns, TurnLimits limits, List<DatasetProblem> problems)
    {
        var before = problems.Count;
        ChatRole? previous = null;
        var orderReported = false;
        var hasAssistant = false;
        foreach (var (label, message) in turns)
        {
            hasAssistant |= message.Role == ChatRole.Assistant;
            if (!orderReported && !FollowsOrder(previous, message.Role))
            {
                var after = previous is null ? "the start" : $"'{Name(previous.Value)}'";
                var expected = previous is null or ChatRole.System or ChatRole.Assistant ? "user" : "assistant";
                problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.WrongRoleOrder, $"{label}: role '{Name(message.Role)}' after {after}; expected '{expected}'."));
                orderReported = true;
            }

            previous = message.Role;
            limits.Check(lineNumber, label, message.Content, problems);
        }

        if (!hasAssistant)
        {
            problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.NoAssistantTurn, "The conversation has no assistant turn, so there is nothing to learn."));
        }

        return problems.Count == before;
    }

    public static string Name(ChatRole role) => role.ToString().ToLower(CultureInfo.InvariantCulture);

    private static bool FollowsOrder(ChatRole? previous, ChatRole current) => (previous, current) switch
    {
        (null, ChatRole.System or ChatRole.User) => true,
        (ChatRole.System, ChatRole.User) => true,
        (ChatRole.User, ChatRole.Assistant) => true,
        (ChatRole.Assistant, ChatRole.User) => true,
        _ => false,
    };
}
