namespace Hanlin.Training.Search;

/// <summary>How a <see cref="HyperparameterSearch"/> proposes trials.</summary>
public enum SearchStrategy
{
    /// <summary>Every combination, learning rates log-spaced; the seed does not matter.</summary>
    Grid,

    /// <summary>Independent draws: learning rate log-uniform, the others uniform over their values.</summary>
    Random,

    /// <summary>Tree-structured Parzen estimator: random start-up trials, then candidates that are likely under the good trials and unlikely under the others.</summary>
    Tpe,
}
