using Hanlin.Core.Errors;
using Hanlin.Models.HuggingFace;
using MlBertTokenizer = Microsoft.ML.Tokenizers.BertTokenizer;
using MlBertOptions = Microsoft.ML.Tokenizers.BertOptions;

namespace Hanlin.Models.Bert;

/// <summary>
/// BERT's WordPiece tokenizer (basic tokenization, lower-casing and accent stripping, CJK characters split, then
/// greedy longest-match word pieces) from a model directory's <c>vocab.txt</c>, via Microsoft.ML.Tokenizers.
/// </summary>
public sealed class WordPieceBertTokenizer : IBertTokenizer
{
    private readonly MlBertTokenizer _tokenizer;

    private WordPieceBertTokenizer(MlBertTokenizer tokenizer) => _tokenizer = tokenizer;

    /// <summary>
    /// Reads <c>vocab.txt</c> in <paramref name="directory"/>, with <c>do_lower_case</c>, <c>strip_accents</c> and
    /// <c>tokenize_chinese_chars</c> from <c>tokenizer_config.json</c> when present (transformers' defaults otherwise).
    /// </summary>
    /// <exception cref="HanlinException">vocab.txt is missing (<c>file_not_found</c>) or unreadable (<c>corrupt_file</c>).</exception>
    public static WordPieceBertTokenizer FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var vocabulary = Path.Combine(directory, "vocab.txt");
        if (!File.Exists(vocabulary))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"Model directory '{directory}' has no vocab.txt for its WordPiece tokenizer.");
        }

        var settings = ConfigJson.LoadIfExists(Path.Combine(directory, "tokenizer_config.json"));
        var lowerCase = settings?.Bool("do_lower_case") ?? true;
        var options = new MlBertOptions
        {
            LowerCaseBeforeTokenization = lowerCase,
            RemoveNonSpacingMarks = settings?.Bool("strip_accents") ?? lowerCase, // transformers: unset follows lower-casing
            IndividuallyTokenizeCjk = settings?.Bool("tokenize_chinese_chars") ?? true,
        };
        try
        {
            return new WordPieceBertTokenizer(MlBertTokenizer.Create(vocabulary, options));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or IOException)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"Vocabulary '{vocabulary}' could not be read as a WordPiece vocabulary: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToIds(text, addSpecialTokens: true);
    }
}
