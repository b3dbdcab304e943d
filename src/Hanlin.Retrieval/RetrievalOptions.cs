using System.ComponentModel.DataAnnotations;
using Hanlin.Retrieval.Fusion;
using Hanlin.Retrieval.Lexical;
using Hanlin.Retrieval.Vectors;

namespace Hanlin.Retrieval;

/// <summary>Configuration section <c>Retrieval</c>.</summary>
public sealed class RetrievalOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Retrieval";

    /// <summary>Directory holding the indexes: <c>lexical/</c> (Lucene) and <c>vectors.hnsw</c>.</summary>
    [Required]
    public string IndexDirectory { get; set; } = string.Empty;

    /// <summary>Optional UTF-8 file of extra domain terms, one per line, added to the built-in list.</summary>
    public string? DomainDictionaryPath { get; set; }

    /// <summary>BM25 field boosts and limits.</summary>
    public LexicalIndexOptions Lexical { get; set; } = new();

    /// <summary>HNSW parameters.</summary>
    public HnswOptions Hnsw { get; set; } = new();

    /// <summary>Default fusion rule; a request may override it.</summary>
    public FusionOptions Fusion { get; set; } = new();

    /// <summary>Path of the Lucene index directory.</summary>
    public string LexicalIndexPath => Path.Combine(IndexDirectory, "lexical");

    /// <summary>Path of the HNSW index file.</summary>
    public string VectorIndexPath => Path.Combine(IndexDirectory, "vectors.hnsw");
}
