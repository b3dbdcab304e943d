using Hanlin.Ingestion.Chunking;

namespace Hanlin.Training.Datasets;

/// <summary>The default <see cref="ITokenCounter"/>: cl100k_base, the tokenizer ingestion chunks with (embedded, no download).</summary>
public sealed class Cl100kTokenCounter : ITokenCounter
{
    private Cl100kTokenCounter()
    {
    }

    /// <summary>The process-wide instance; the vocabulary loads on first count.</summary>
    public static Cl100kTokenCounter Instance { get; } = new();

    /// <inheritdoc/>
    public int CountTokens(string text) => TokenCounter.Default.Count(text);
}
