using Hanlin.Core.Errors;
using Hanlin.Models.Tokenization;

namespace Hanlin.Models.Bert;

/// <summary>
/// BERT's WordPiece tokenizer for a model directory: Hanlin's conformant WordPiece implementation (from
/// <c>tokenizer.json</c>, else <c>vocab.txt</c> with <c>tokenizer_config.json</c>), which adds <c>[CLS]</c> and
/// <c>[SEP]</c> itself. Microsoft.ML.Tokenizers' BertTokenizer was used first but encodes 7 of llama.cpp's 46
/// bge test strings differently from the reference (½, emoji, Khmer, text after a newline).
/// </summary>
public sealed class WordPieceBertTokenizer : IBertTokenizer
{
    private readonly ITextTokenizer _tokenizer;

    private WordPieceBertTokenizer(ITextTokenizer tokenizer) => _tokenizer = tokenizer;

    /// <summary>Loads the tokenizer of the BERT model directory <paramref name="directory"/>.</summary>
    /// <exception cref="HanlinException">No tokenizer.json or vocab.txt (<c>file_not_found</c>) or an unreadable one (<c>corrupt_file</c>).</exception>
    public static WordPieceBertTokenizer FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!File.Exists(Path.Combine(directory, "tokenizer.json")) && !File.Exists(Path.Combine(directory, "vocab.txt")))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"Model directory '{directory}' has no vocab.txt or tokenizer.json for its WordPiece tokenizer.");
        }

        return new WordPieceBertTokenizer(TokenizerLoader.Load(directory));
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.Encode(text, addSpecialTokens: true, parseSpecialTokens: false);
    }
}
