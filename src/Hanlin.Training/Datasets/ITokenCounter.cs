namespace Hanlin.Training.Datasets;

/// <summary>
/// Counts tokens for length limits and statistics. A seam because the right tokenizer is the model's own
/// (coming with the model runtime); until then <see cref="Cl100kTokenCounter"/> gives counts of the right magnitude.
/// </summary>
public interface ITokenCounter
{
    /// <summary>Number of tokens <paramref name="text"/> encodes to, without special tokens or chat-template overhead.</summary>
    int CountTokens(string text);
}
