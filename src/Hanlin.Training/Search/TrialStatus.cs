namespace Hanlin.Training.Search;

/// <summary>How a trial ended.</summary>
public enum TrialStatus
{
    /// <summary>The trial ran and reported a finite metric.</summary>
    Completed,

    /// <summary>The trial threw, or reported a metric that is not a finite number; the search went on without it.</summary>
    Failed,
}
