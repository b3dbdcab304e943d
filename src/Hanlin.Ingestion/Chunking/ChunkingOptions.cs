using System.ComponentModel.DataAnnotations;

namespace Hanlin.Ingestion.Chunking;

/// <summary>Chunk sizes in tokens of the chunking tokenizer (cl100k_base).</summary>
public sealed class ChunkingOptions
{
    /// <summary>Size a chunk grows to before a new one starts at the next sentence boundary.</summary>
    [Range(16, 8192)]
    public int TargetTokens { get; set; } = 384;

    /// <summary>Hard upper bound; longer sentences and table rows are split.</summary>
    [Range(16, 8192)]
    public int MaxTokens { get; set; } = 512;

    /// <summary>Tokens of trailing sentences repeated at the start of the next chunk of the same section.</summary>
    [Range(0, 2048)]
    public int OverlapTokens { get; set; } = 48;
}
