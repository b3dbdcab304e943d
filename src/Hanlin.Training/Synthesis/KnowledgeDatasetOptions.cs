namespace Hanlin.Training.Synthesis;

/// <summary>How <see cref="KnowledgeDatasetBuilder"/> turns a collection into question/answer pairs.</summary>
public sealed record KnowledgeDatasetOptions
{
    /// <summary>Most passages read from the collection (documents in store order, chunks in document order); null for all.</summary>
    public int? MaxPassages { get; init; }

    /// <summary>Passages shorter than this many characters are skipped (headings alone, fragments).</summary>
    public int MinPassageCharacters { get; init; } = 40;

    /// <summary>With a teacher: questions asked per passage.</summary>
    public int QuestionsPerPassage { get; init; } = 2;

    /// <summary>Synonym replacement of questions, or null for none.</summary>
    public SynonymDictionary? Synonyms { get; init; }

    /// <summary>Most synonym variants made from one question.</summary>
    public int VariantsPerQuestion { get; init; } = 2;

    /// <summary>Paraphrase every question by translating it through <see cref="PivotLanguage"/> and back with the teacher.</summary>
    public bool BackTranslate { get; init; }

    /// <summary>The language questions are translated into and back from.</summary>
    public string PivotLanguage { get; init; } = "English";

    /// <summary>Optional system turn put first in every example.</summary>
    public string? SystemPrompt { get; init; }
}
