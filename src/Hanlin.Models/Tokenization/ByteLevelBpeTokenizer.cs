using System.Text;
using Microsoft.ML.Tokenizers;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// Byte-level BPE (GPT-2, Llama-3, Qwen2, DeepSeek): text is split by the vocabulary's pre-tokenizer regexes,
/// each piece is turned into GPT-2 byte characters and merged by rank. The merging is Microsoft.ML.Tokenizers'
/// <see cref="BpeTokenizer"/> (built from the in-memory vocabulary and merges); added/special tokens, BOS/EOS and
/// decoding of special ids are handled here because <see cref="BpeTokenizer"/> only knows its own vocabulary.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    private readonly TokenizerVocabulary _vocabulary;
    private readonly BpeTokenizer _bpe;
    private readonly SpecialTokenSplitter _splitter;
    private readonly Dictionary<string, int> _ids;

    internal ByteLevelBpeTokenizer(TokenizerVocabulary vocabulary, RegexSequencePreTokenizer preTokenizer)
    {
        _vocabulary = vocabulary;
        _ids = new Dictionary<string, int>(vocabulary.Tokens.Length, StringComparer.Ordinal);
        for (var id = 0; id < vocabulary.Tokens.Length; id++)
        {
            _ids.TryAdd(vocabulary.Tokens[id], id);
        }

        // Only model pieces go to the BPE; added tokens are cut out of the text first by the splitter.
        var modelPieces = _ids.Where(p => vocabulary.Kinds[p.Value] is not (TokenKind.Control or TokenKind.UserDefined or TokenKind.Unused));
        _bpe = BpeTokenizer.Create(new BpeOptions(modelPieces)
        {
            Merges = vocabulary.Merges,
            PreTokenizer = preTokenizer,
            ByteLevel = true,
        });
        _splitter = new SpecialTokenSplitter(vocabulary);
        StopTokenIds = vocabulary.StopTokenIds();
        SpecialTokenIds = vocabulary.ControlTokenIds();
    }

    /// <inheritdoc/>
    public int VocabularySize => _vocabulary.Tokens.Length;

    /// <inheritdoc/>
    public int? BosTokenId => _vocabulary.BosId;

    /// <inheritdoc/>
    public int? EosTokenId => _vocabulary.EosId;

    /// <inheritdoc/>
    public IReadOnlySet<int> SpecialTokenIds { get; }

    /// <inheritdoc/>
    public IReadOnlySet<int> StopTokenIds { get; }

    /// <inheritdoc/>
    public int[] Encode(string text, bool addSpecialTokens = true, bool parseSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 2);
        if (addSpecialTokens && _vocabulary.AddBos && _vocabulary.BosId is { } bos)
        {
            ids.Add(bos);
        }

        foreach (var (segment, id) in _splitter.Split(text, parseSpecialTokens))
        {
            if (segment is null)
            {
                ids.Add(id);
            }
            else
            {
                ids.AddRange(_bpe.EncodeToIds(segment));
            }
        }

        if (addSpecialTokens && _vocabulary.AddEos && _vocabulary.EosId is { } eos)
        {
            ids.Add(eos);
        }

        return [.. ids];
    }

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_vocabulary.Tokens.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the vocabulary of {_vocabulary.Tokens.Length}.");
            }

            var piece = _vocabulary.Tokens[id];
            if (_vocabulary.Kinds[id] is TokenKind.Control or TokenKind.UserDefined || !ByteLevelAlphabet.TryDecode(piece, bytes))
            {
                // Added tokens are stored as plain text, not byte characters.
                Flush(bytes, text);
                if (!(skipSpecialTokens && SpecialTokenIds.Contains(id)))
                {
                    text.Append(piece);
                }
            }
        }

        Flush(bytes, text);
        return text.ToString();
    }

    /// <inheritdoc/>
    public string? IdToToken(int id) => (uint)id < (uint)_vocabulary.Tokens.Length ? _vocabulary.Tokens[id] : null;

    /// <inheritdoc/>
    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    private static void Flush(List<byte> bytes, StringBuilder text)
    {
        text.Append(Encoding.UTF8.GetString([.. bytes]));
        bytes.Clear();
    }
}
