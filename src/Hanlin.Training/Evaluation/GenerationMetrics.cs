namespace Hanlin.Training.Evaluation;

/// <summary>Quality of generated answers against the dataset's reference answers.</summary>
/// <param name="Answers">Number of answers generated and scored.</param>
/// <param name="Bleu4">Corpus BLEU-4 on sacrebleu's 0 to 100 scale (Chinese tokenised by character).</param>
/// <param name="Rouge1">Mean ROUGE-1 F1, 0 to 1 (character level for Chinese).</param>
/// <param name="Rouge2">Mean ROUGE-2 F1, 0 to 1.</param>
/// <param name="RougeL">Mean ROUGE-L F1, 0 to 1.</param>
/// <param name="ExactMatch">Share of answers equal to the reference after normalisation, 0 to 1.</param>
/// <param name="F1">Mean token-overlap F1, 0 to 1.</param>
public sealed record GenerationMetrics(int Answers, double Bleu4, double Rouge1, double Rouge2, double RougeL, double ExactMatch, double F1);
