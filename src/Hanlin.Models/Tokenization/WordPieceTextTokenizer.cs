using System.Text;
using Microsoft.ML.Tokenizers;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// BERT WordPiece (bge, e5, ...; llama.cpp model <c>bert</c>): BERT's basic tokenizer (clean-up, optional
/// lower-casing and accent stripping, CJK characters as words, punctuation split) then greedy longest-match
/// WordPiece with <c>##</c> continuations. Both steps are Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>,
/// built from the in-memory vocabulary; added tokens and [CLS]/[SEP] placement are handled here.
/// </summary>
public sealed class WordPieceTextTokenizer : ITextTokenizer
{
    private readonly TokenizerVocabulary _vocabulary;
    private readonly BertTokenizer _bert;
    private readonly SpecialTokenSplitter _splitter;
    private readonly Dictionary<string, int> _ids;

    internal WordPieceTextTokenizer(TokenizerVocabulary vocabulary)
    {
        _vocabulary = vocabulary;
        _ids = new Dictionary<string, int>(vocabulary.Tokens.Length, StringComparer.Ordinal);
        for (var id = 0; id < vocabulary.Tokens.Length; id++)
        {
            _ids.TryAdd(vocabulary.Tokens[id], id);
        }

        string? Piece(int? id) => id is { } value ? vocabulary.Tokens[value] : null;

        // BertTokenizer reads a vocab.txt stream (one piece per line, id = line number); it is written in memory.
        using var vocabText = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', vocabulary.Tokens.Select(t => t.ReplaceLineEndings(" ")))));
        _bert = BertTokenizer.Create(vocabText, new BertOptions
        {
            LowerCaseBeforeTokenization = vocabulary.LowerCase,
            RemoveNonSpacingMarks = vocabulary.LowerCase, // HF strip_accents defaults to do_lower_case
            IndividuallyTokenizeCjk = true,
            ApplyBasicTokenization = true,
            SplitOnSpecialTokens = false, // added tokens are cut out first by SpecialTokenSplitter
            UnknownToken = Piece(vocabulary.UnknownId) ?? "[UNK]",
            ClassificationToken = Piece(vocabulary.ClassifierId ?? vocabulary.BosId) ?? "[CLS]",
            SeparatorToken = Piece(vocabulary.SeparatorId ?? vocabulary.EosId) ?? "[SEP]",
            PaddingToken = Piece(vocabulary.PaddingId) ?? "[PAD]",
            MaskingToken = Piece(vocabulary.MaskId) ?? "[MASK]",
        });
        _splitter = new SpecialTokenSplitter(vocabulary);
        SpecialTokenIds = vocabulary.Kinds.Select((kind, id) => (kind, id)).Where(t => t.kind == TokenKind.Control).Select(t => t.id).ToHashSet();
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
                ids.AddRange(_bert.EncodeToIds(segment, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true));
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
}
