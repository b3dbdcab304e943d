namespace Hanlin.Rag.Answers;

/// <summary>How an answer was produced.</summary>
public enum AnswerMethod
{
    /// <summary>The built-in extractive answerer selected and ordered supporting sentences.</summary>
    Extractive,

    /// <summary>A chat model generated the answer from the numbered evidence.</summary>
    Generative,
}
