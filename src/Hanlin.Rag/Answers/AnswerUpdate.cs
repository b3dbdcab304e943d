namespace Hanlin.Rag.Answers;

/// <summary>
/// One step of a streamed answer: first the sources (<see cref="Citations"/> set), then text deltas, and last the
/// complete verified answer (<see cref="Completed"/> set). A refusal streams its sentence as deltas too.
/// </summary>
public sealed record AnswerUpdate
{
    /// <summary>The numbered sources, sent once before any text.</summary>
    public IReadOnlyList<Citation>? Citations { get; init; }

    /// <summary>A piece of answer text to append.</summary>
    public string? Delta { get; init; }

    /// <summary>The final answer with its verification, sent once at the end.</summary>
    public RagAnswer? Completed { get; init; }
}
