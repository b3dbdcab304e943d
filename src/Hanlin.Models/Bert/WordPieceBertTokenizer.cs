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
            using var stream = new MemoryStream(DeduplicatedVocabulary(vocabulary));
            return new WordPieceBertTokenizer(MlBertTokenizer.Create(stream, options));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or IOException)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"Vocabulary '{vocabulary}' could not be read as a WordPiece vocabulary: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// vocab.txt with every earlier occurrence of a repeated token renamed to a placeholder. transformers maps a repeated
    /// token to its last line's id (a later dictionary insert wins) while Microsoft.ML.Tokenizers rejects repeats, so
    /// renaming keeps every id at its line and makes the last occurrence the one that encodes.
    /// </summary>
    private static byte[] DeduplicatedVocabulary(string path)
    {
        var lines = File.ReadAllLines(path, System.Text.Encoding.UTF8);
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            last[lines[i]] = i;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (last[lines[i]] != i)
            {
                lines[i] = $"[hanlin-duplicate-{i}]";
            }
        }

        return System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToIds(text, addSpecialTokens: true);
    }
}
