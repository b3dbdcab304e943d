namespace Hanlin.Training.Evaluation;

/// <summary>How BLEU treats an n-gram order with no match (sacrebleu's <c>smooth_method</c>).</summary>
public enum BleuSmoothing
{
    /// <summary>No smoothing: any order without a match makes the score 0.</summary>
    None,

    /// <summary>
    /// sacrebleu's default (<c>exp</c>, NIST mteval-v13a): the k-th order without a match gets precision
    /// 1 / (2^k · total).
    /// </summary>
    Exponential,

    /// <summary>An order without a match gets precision <see cref="BleuOptions.SmoothValue"/> / total (default 0.1).</summary>
    Floor,

    /// <summary>Adds <see cref="BleuOptions.SmoothValue"/> (default 1) to matches and totals of orders 2 to 4.</summary>
    AddK,
}
