namespace Hanlin.Training.Evaluation;

/// <summary>ROUGE F1 scores, each 0 to 1.</summary>
/// <param name="Rouge1">Unigram overlap F1.</param>
/// <param name="Rouge2">Bigram overlap F1.</param>
/// <param name="RougeL">Longest-common-subsequence F1.</param>
public sealed record RougeScores(double Rouge1, double Rouge2, double RougeL);
