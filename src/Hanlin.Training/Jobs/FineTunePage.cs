namespace Hanlin.Training.Jobs;

/// <summary>One page of a newest-first listing; the next page starts after the last item's id.</summary>
/// <typeparam name="T">What is listed.</typeparam>
/// <param name="Items">The items, newest first.</param>
/// <param name="HasMore">Whether older items remain.</param>
public sealed record FineTunePage<T>(IReadOnlyList<T> Items, bool HasMore);
