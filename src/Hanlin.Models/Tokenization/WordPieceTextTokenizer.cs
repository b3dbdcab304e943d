using System.Text;
using System.Globalization;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// BERT WordPiece (bge, e5, ...; llama.cpp model <c>bert</c>), as Hugging Face's <c>BertNormalizer</c> +
/// <c>BertPreTokenizer</c> + <c>WordPiece</c>: control characters dropped and whitespace unified, CJK ideographs
/// made words of their own, accents stripped and text lower-cased (uncased models), split at whitespace and
/// punctuation, then greedy longest-match pieces with <c>##</c> continuations; a word that cannot be covered
/// becomes a single [UNK].
/// </summary>
/// <remarks>
/// Hand-written: Microsoft.ML.Tokenizers 2.0.1's BertTokenizer, tried first, disagrees with the reference on 7 of
/// llama.cpp's 46 bge vectors (it drops symbols such as ½ and emoji instead of emitting [UNK], splits Khmer words
/// at combining marks, and loses text after a newline).
/// </remarks>
public sealed class WordPieceTextTokenizer : ITextTokenizer
{
    private const int MaxInputCharsPerWord = 100; // HF WordPiece default
    private const string ContinuationPrefix = "##";

    private readonly TokenizerVocabulary _vocabulary;
    private readonly SpecialTokenSplitter _splitter;
    private readonly Dictionary<string, int> _ids;
    private readonly int _unknownId;

    internal WordPieceTextTokenizer(TokenizerVocabulary vocabulary)
    {
        _vocabulary = vocabulary;
        _ids = new Dictionary<string, int>(vocabulary.Tokens.Length, StringComparer.Ordinal);
        for (var id = 0; id < vocabulary.Tokens.Length; id++)
        {
            _ids.TryAdd(vocabulary.Tokens[id], id);
        }

        _unknownId = vocabulary.UnknownId ?? (_ids.TryGetValue("[UNK]", out var unk) ? unk : 0);
        _splitter = new SpecialTokenSplitter(vocabulary);
        StopTokenIds = vocabulary.StopTokenIds();
        SpecialTokenIds = vocabulary.ControlTokenIds();
    }

    /// <inheritdoc/>
    public int VocabularySize => _vocabulary.Tokens.Length;

    /// <inheritdoc/>
    public int? BosTokenId => _vocabulary.ClassifierId ?? _vocabulary.BosId;

    /// <inheritdoc/>
    public int? EosTokenId => _vocabulary.SeparatorId ?? _vocabulary.EosId;

    /// <inheritdoc/>
    public IReadOnlySet<int> SpecialTokenIds { get; }

    /// <inheritdoc/>
    public IReadOnlySet<int> StopTokenIds { get; }

    /// <inheritdoc/>
    public int[] Encode(string text, bool addSpecialTokens = true, bool parseSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 2);
        if (addSpecialTokens && _vocabulary.AddBos && BosTokenId is { } cls)
        {
            ids.Add(cls);
        }

        foreach (var (segment, id) in _splitter.Split(text, parseSpecialTokens))
        {
            if (segment is null)
            {
                ids.Add(id);
            }
            else
            {
                foreach (var word in Words(Normalize(segment)))
                {
                    AddWordPieces(word, ids);
                }
            }
        }

        if (addSpecialTokens && _vocabulary.AddEos && EosTokenId is { } sep)
        {
            ids.Add(sep);
        }

        return [.. ids];
    }

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        // Pieces are joined by spaces, continuation pieces glued to the previous one (HF WordPiece decoder).
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_vocabulary.Tokens.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the vocabulary of {_vocabulary.Tokens.Length}.");
            }

            if (skipSpecialTokens && SpecialTokenIds.Contains(id))
            {
                continue;
            }

            var piece = _vocabulary.Tokens[id];
            if (piece.StartsWith("##", StringComparison.Ordinal))
            {
                text.Append(piece, 2, piece.Length - 2);
            }
            else
            {
                if (text.Length > 0)
                {
                    text.Append(' ');
                }

                text.Append(piece);
            }
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public string? IdToToken(int id) => (uint)id < (uint)_vocabulary.Tokens.Length ? _vocabulary.Tokens[id] : null;

    /// <inheritdoc/>
    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    private static bool IsCjk(int c) => c is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
        or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF
        or >= 0x2F800 and <= 0x2FA1F;

    private static bool IsPunctuation(Rune rune) => rune.Value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private string Normalize(string text)
    {
        // BertNormalizer: clean_text, handle_chinese_chars, strip_accents (defaults to lowercase), lowercase, in that order.
        var cleaned = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator)
            {
                cleaned.Append(' ');
            }
            else if (rune.Value is 0 or 0xFFFD || IsControl(rune))
            {
                continue;
            }
            else if (IsCjk(rune.Value))
            {
                cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                cleaned.Append(rune.ToString());
            }
        }

        var result = cleaned.ToString();
        if (_vocabulary.LowerCase)
        {
            var stripped = new StringBuilder(result.Length);
            foreach (var rune in result.Normalize(NormalizationForm.FormD).EnumerateRunes())
            {
                if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
                {
                    stripped.Append(rune.ToString());
                }
            }

            result = stripped.ToString().ToLowerInvariant();
        }

        return result;
    }

    private static bool IsControl(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    private static List<string> Words(string text)
    {
        // BertPreTokenizer: whitespace separates words and is dropped; each punctuation character is a word of its own.
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || IsPunctuation(rune))
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }

                if (!Rune.IsWhiteSpace(rune))
                {
                    words.Add(rune.ToString());
                }
            }
            else
            {
                current.Append(rune.ToString());
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    private void AddWordPieces(string word, List<int> output)
    {
        if (word.EnumerateRunes().Count() > MaxInputCharsPerWord)
        {
            output.Add(_unknownId);
            return;
        }

        var pieces = new List<int>();
        var start = 0;
        while (start < word.Length)
        {
            // Greedy longest match; candidates end on whole code points.
            var found = -1;
            var end = word.Length;
            while (end > start)
            {
                var candidate = start == 0 ? word[start..end] : ContinuationPrefix + word[start..end];
                if (_ids.TryGetValue(candidate, out var id))
                {
                    found = id;
                    break;
                }

                end -= end - 2 >= start && char.IsSurrogatePair(word[end - 2], word[end - 1]) ? 2 : 1;
            }

            if (found < 0)
            {
                output.Add(_unknownId);
                return;
            }

            pieces.Add(found);
            start = end;
        }

        output.AddRange(pieces);
    }
}
