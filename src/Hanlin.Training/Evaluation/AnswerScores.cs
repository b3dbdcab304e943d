namespace Hanlin.Training.Evaluation;

/// <summary>Question-answering scores, each 0 to 1.</summary>
/// <param name="ExactMatch">Share of predictions equal to a reference after normalisation.</param>
/// <param name="F1">Mean token-overlap F1 against the best-matching reference.</param>
public sealed record AnswerScores(double ExactMatch, double F1);
