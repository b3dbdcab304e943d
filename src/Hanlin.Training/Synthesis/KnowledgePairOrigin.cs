namespace Hanlin.Training.Synthesis;

/// <summary>How a generated question/answer pair came about.</summary>
public enum KnowledgePairOrigin
{
    /// <summary>Question from the passage's heading path, answer the passage itself (no teacher).</summary>
    Extractive,

    /// <summary>Question and cited answer written by the teacher model (distillation).</summary>
    Teacher,

    /// <summary>A question with a domain term replaced by a user synonym.</summary>
    Synonym,

    /// <summary>A question paraphrased by translating it through the teacher and back.</summary>
    BackTranslation,
}
