using System.ComponentModel.DataAnnotations;

namespace Hanlin.Rag;

/// <summary>Configuration section <c>Rag</c>: context budget, evidence and support thresholds, refusals, models.</summary>
public sealed class RagOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Rag";

    /// <summary>Most evidence tokens (cl100k, as counted at ingestion) given to the answerer.</summary>
    [Range(64, 1_000_000)]
    public int ContextTokenBudget { get; set; } = 3000;

    /// <summary>
    /// Least evidence strength (0..1: weighted share of the question's content terms found in the best
    /// supporting sentence and chunk) below which the answer is a refusal instead of a guess.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinEvidence { get; set; } = 0.5;

    /// <summary>Least support (0..1: share of a sentence's content terms found in its cited chunk) for a sentence to count as supported.</summary>
    [Range(0.0, 1.0)]
    public double SupportThreshold { get; set; } = 0.6;

    /// <summary>The refusal in Chinese.</summary>
    [Required]
    public string RefusalZh { get; set; } = "知识库中没有找到该问题的答案。";

    /// <summary>The refusal in English.</summary>
    [Required]
    public string RefusalEn { get; set; } = "The knowledge base does not contain the answer to this question.";

    /// <summary>Add the chunks before and after the best hits to the context (costs one storage read per document).</summary>
    public bool ExpandNeighbours { get; set; }

    /// <summary>How many of the best hits get their neighbours added when <see cref="ExpandNeighbours"/> is on.</summary>
    [Range(1, 20)]
    public int NeighbourHits { get; set; } = 2;

    /// <summary>Most sentences an extractive answer holds.</summary>
    [Range(1, 20)]
    public int MaxExtractiveSentences { get; set; } = 3;

    /// <summary>
    /// Analysed evidence chunks kept so a chunk that answers many questions is split and analysed once (about 5 KB
    /// each for 120-word chunks, so up to ~80 MB at the default; analysis is most of an extractive answer's CPU when
    /// not cached); 0 analyses every passage of every answer afresh.
    /// </summary>
    [Range(0, 1_000_000)]
    public int AnalysisCacheChunks { get; set; } = 16384;

    /// <summary>
    /// Name of the chat model used when a request names none; null uses the only registered model if there is
    /// exactly one, and the extractive answerer otherwise.
    /// </summary>
    public string? DefaultChatModel { get; set; }

    /// <summary>
    /// Most searches and extractive answers computed at once; 0 means one per processor. Queries beyond it wait
    /// in arrival order (see <see cref="Search.QueryAdmission"/>).
    /// </summary>
    [Range(0, 1024)]
    public int MaxConcurrentQueries { get; set; }

    /// <summary>Most queries waiting for their turn; one more is refused with <c>overloaded</c> (HTTP 503).</summary>
    [Range(1, 1_000_000)]
    public int QueryQueueLimit { get; set; } = 1024;

    /// <summary>The refusal sentence for <paramref name="language"/> ("zh" or "en").</summary>
    public string RefusalFor(string language) => language == "zh" ? RefusalZh : RefusalEn;
}
