namespace Hanlin.Models.Tokenization;

/// <summary>
/// What the vocabulary-driven tokenizers (byte-level BPE, SentencePiece BPE) share: the vocabulary with its special
/// ids, the first id of each piece, and the splitter that cuts added/special tokens out of the text before the model's
/// own algorithm sees it. Derived classes implement only encoding and decoding.
/// </summary>
public abstract class VocabularyTokenizer : ITextTokenizer
{
    private protected VocabularyTokenizer(TokenizerVocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        Ids = new Dictionary<string, int>(vocabulary.Tokens.Length, StringComparer.Ordinal);
        for (var id = 0; id < vocabulary.Tokens.Length; id++)
        {
            Ids.TryAdd(vocabulary.Tokens[id], id); // a piece listed twice keeps its first id, as the reference tokenizers do
        }

        Splitter = new SpecialTokenSplitter(vocabulary);
        StopTokenIds = vocabulary.StopTokenIds();
        SpecialTokenIds = vocabulary.ControlTokenIds();
    }

    /// <inheritdoc/>
    public int VocabularySize => Vocabulary.Tokens.Length;

    /// <inheritdoc/>
    public int? BosTokenId => Vocabulary.BosId;

    /// <inheritdoc/>
    public int? EosTokenId => Vocabulary.EosId;

    /// <inheritdoc/>
    public IReadOnlySet<int> SpecialTokenIds { get; }

    /// <inheritdoc/>
    public IReadOnlySet<int> StopTokenIds { get; }

    private protected TokenizerVocabulary Vocabulary { get; }

    private protected Dictionary<string, int> Ids { get; }

    private protected SpecialTokenSplitter Splitter { get; }

    /// <inheritdoc/>
    public abstract int[] Encode(string text, bool addSpecialTokens = true, bool parseSpecialTokens = true);

    /// <inheritdoc/>
    public abstract string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false);

    /// <inheritdoc/>
    public string? IdToToken(int id) => (uint)id < (uint)Vocabulary.Tokens.Length ? Vocabulary.Tokens[id] : null;

    /// <inheritdoc/>
    public int? TokenToId(string token) => Ids.TryGetValue(token, out var id) ? id : null;
}
