using Hanlin.Training.Datasets;

namespace Hanlin.Training.Tests.Datasets;

public sealed class DatasetCleanerTests
{
    private const string Answer = "Aspirin must not be taken with an active peptic ulcer because it irritates the stomach lining and slows clotting.";

    private static TrainingExample Chat(int line, string question, string answer) =>
        new(line, [new TrainingMessage(ChatRole.User, question), new TrainingMessage(ChatRole.Assistant, answer)]);

    [Fact]
    public void Exact_near_empty_and_over_long_examples_are_removed_with_their_line_numbers_and_reasons()
    {
        TrainingExample[] examples =
        [
            Chat(1, "Can I take aspirin with an ulcer?", Answer),
            Chat(2, "Can I  take aspirin with an ulcer? ", Answer),                             // whitespace only: exact
            Chat(3, "can I take aspirin with an ulcer", Answer.ToUpperInvariant()),             // case and punctuation: near
            Chat(4, "What is the redemption fee?", "0.5% within 7 days."),
            Chat(5, "Empty?", "\u200B"),                                                     // only a zero-width space
            Chat(6, "Long?", new string('x', 200)),
            Chat(7, "What is the redemption fee after 30 days?", "None."),
        ];

        var report = DatasetCleaner.Clean(examples, new CleaningOptions { MaxTurnCharacters = 150 });

        Assert.Equal([1, 4, 7], report.Kept.Select(e => e.LineNumber));
        Assert.Equal(
            [
                (2, RemovalReason.ExactDuplicate, (int?)1),
                (3, RemovalReason.NearDuplicate, 1),
                (5, RemovalReason.EmptyTurn, null),
                (6, RemovalReason.TurnTooLong, null),
            ],
            report.Removed.Select(r => (r.LineNumber, r.Reason, r.DuplicateOfLine)));
        Assert.Equal(1, report.CountsByReason()[RemovalReason.NearDuplicate]);
    }

    [Fact]
    public void Deduplication_can_be_switched_off()
    {
        TrainingExample[] examples = [Chat(1, "q", Answer), Chat(2, "q", Answer)];

        var report = DatasetCleaner.Clean(examples, new CleaningOptions { RemoveExactDuplicates = false, RemoveNearDuplicates = false });

        Assert.Equal(2, report.Kept.Count);
        Assert.Empty(report.Removed);
    }

    [Fact]
    public void Short_examples_differing_in_one_number_are_not_near_duplicates()
    {
        TrainingExample[] examples = [Chat(1, "What is 2+2?", "4"), Chat(2, "What is 3+3?", "6")];

        var report = DatasetCleaner.Clean(examples);

        Assert.Equal(2, report.Kept.Count);
    }
}
