namespace Hanlin.Models.Bert;

/// <summary>How <see cref="BertEmbeddingGenerator"/> turns texts into vectors.</summary>
public sealed record BertEmbeddingOptions
{
    /// <summary>Pooling of token states; null reads sentence-transformers' <c>1_Pooling/config.json</c> when loading a directory, else mean.</summary>
    public EmbeddingPooling? Pooling { get; init; }

    /// <summary>Scale each embedding to unit L2 norm (cosine similarity becomes a dot product).</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>Texts encoded in one forward pass (padded to the longest of them).</summary>
    public int MaxBatchSize { get; init; } = 16;

    /// <summary>Name reported in embeddings and metadata; defaults to the model directory's name.</summary>
    public string? ModelId { get; init; }
}
