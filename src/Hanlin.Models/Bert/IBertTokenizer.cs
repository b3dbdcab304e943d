namespace Hanlin.Models.Bert;

/// <summary>
/// Turns text into the token ids a BERT encoder reads. A seam: today <see cref="WordPieceBertTokenizer"/> (Microsoft.ML.Tokenizers
/// over <c>vocab.txt</c>); Hanlin's own <c>tokenizer.json</c> reader can take its place.
/// </summary>
public interface IBertTokenizer
{
    /// <summary>The ids of <paramref name="text"/> framed by the classification and separator tokens (<c>[CLS] … [SEP]</c>).</summary>
    IReadOnlyList<int> Encode(string text);
}
