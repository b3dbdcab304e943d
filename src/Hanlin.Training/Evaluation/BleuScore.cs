namespace Hanlin.Training.Evaluation;

/// <summary>A corpus BLEU-4 result, in sacrebleu's units.</summary>
/// <param name="Score">BLEU on a 0 to 100 scale.</param>
/// <param name="Precisions">The (smoothed) n-gram precisions for n = 1..4, each 0 to 100.</param>
/// <param name="BrevityPenalty">exp(1 - r/c) when the hypotheses are shorter than the references, else 1.</param>
/// <param name="HypothesisLength">Total hypothesis tokens (c).</param>
/// <param name="ReferenceLength">Total reference tokens (r; the closest reference length per sentence).</param>
/// <param name="Matches">Clipped n-gram matches per order.</param>
/// <param name="Totals">Hypothesis n-grams per order.</param>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<double> Precisions,
    double BrevityPenalty,
    long HypothesisLength,
    long ReferenceLength,
    IReadOnlyList<long> Matches,
    IReadOnlyList<long> Totals);
