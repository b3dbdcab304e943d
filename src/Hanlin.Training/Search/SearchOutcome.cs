namespace Hanlin.Training.Search;

/// <summary>The result of a search.</summary>
/// <param name="Trials">Every trial, in order, resumed ones included.</param>
/// <param name="Best">The completed trial with the best metric (the earliest on a tie), or null when none completed.</param>
/// <param name="StoppedEarly">True when <see cref="SearchOptions.Patience"/> ended the search before its budget.</param>
public sealed record SearchOutcome(IReadOnlyList<TrialRecord> Trials, TrialRecord? Best, bool StoppedEarly);
