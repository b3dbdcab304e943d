using System.Globalization;
using System.Text;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// SentencePiece-style BPE with byte fallback (Llama-2, Mistral, Phi-3; llama.cpp model <c>llama</c>): spaces become
/// <c>▁</c>, a dummy-prefix space is added, the text starts as one symbol per code point and the adjacent pair whose
/// merged piece has the highest score is merged first (leftmost on ties); code points outside the vocabulary
/// become <c>&lt;0xHH&gt;</c> byte pieces.
/// </summary>
/// <remarks>
/// Hand-written: Microsoft.ML.Tokenizers' SentencePieceTokenizer can only be built from a serialized SentencePiece
/// <c>ModelProto</c>, which neither GGUF nor tokenizer.json carries, and its BpeTokenizer merges by rank with no
/// scores or byte fallback.
/// </remarks>
public sealed class SentencePieceBpeTokenizer : VocabularyTokenizer
{
    private const char SpaceMarker = '\u2581'; // ▁

    private readonly Dictionary<string, int> _mergeable;
    private readonly int[] _byteIds;
    private readonly float[] _scores;

    internal SentencePieceBpeTokenizer(TokenizerVocabulary vocabulary)
        : base(vocabulary)
    {
        _scores = vocabulary.Scores ?? new float[vocabulary.Tokens.Length];
        _mergeable = new Dictionary<string, int>(vocabulary.Tokens.Length, StringComparer.Ordinal);
        _byteIds = new int[256];
        Array.Fill(_byteIds, -1);
        for (var id = 0; id < vocabulary.Tokens.Length; id++)
        {
            var piece = vocabulary.Tokens[id];
            switch (vocabulary.Kinds[id])
            {
                case TokenKind.Byte when TryParseByte(piece, out var value):
                    _byteIds[value] = id;
                    break;
                case TokenKind.Normal or TokenKind.Undefined or TokenKind.UserDefined:
                    // Only ordinary pieces are reachable by merging: SentencePiece never builds <s> or <0x0A> from text.
                    _mergeable.TryAdd(piece, id);
                    break;
                default:
                    break;
            }
        }

    }

    /// <inheritdoc/>
    public override int[] Encode(string text, bool addSpecialTokens = true, bool parseSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 2 + 2);
        if (addSpecialTokens && Vocabulary.AddBos && Vocabulary.BosId is { } bos)
        {
            ids.Add(bos);
        }

        // As llama.cpp: the dummy prefix goes before the text and again after every special token.
        var afterSpecial = true;
        foreach (var (segment, id) in Splitter.Split(text, parseSpecialTokens))
        {
            if (segment is null)
            {
                ids.Add(id);
                afterSpecial = true;
                continue;
            }

            var prefixed = Vocabulary.AddSpacePrefix && afterSpecial ? " " + segment : segment;
            EncodeSegment(prefixed.Replace(' ', SpaceMarker), ids);
            afterSpecial = false;
        }

        if (addSpecialTokens && Vocabulary.AddEos && Vocabulary.EosId is { } eos)
        {
            ids.Add(eos);
        }

        return [.. ids];
    }

    /// <inheritdoc/>
    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        var atStart = true;
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)Vocabulary.Tokens.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the vocabulary of {Vocabulary.Tokens.Length}.");
            }

            var piece = Vocabulary.Tokens[id];
            switch (Vocabulary.Kinds[id])
            {
                case TokenKind.Byte when TryParseByte(piece, out var value):
                    bytes.Add(value);
                    atStart = false;
                    break;
                case TokenKind.Control or TokenKind.Unknown:
                    if (!skipSpecialTokens)
                    {
                        bytes.AddRange(Encoding.UTF8.GetBytes(piece));
                    }

                    break;
                default:
                    var text = piece.Replace(SpaceMarker, ' ');
                    // The dummy prefix added by Encode is not part of the text.
                    if (atStart && Vocabulary.AddSpacePrefix && text.StartsWith(' '))
                    {
                        text = text[1..];
                    }

                    bytes.AddRange(Encoding.UTF8.GetBytes(text));
                    atStart = false;
                    break;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }


    private void EncodeSegment(string text, List<int> output)
    {
        var symbols = new List<string>(text.Length);
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            symbols.Add(text.Substring(i, char.IsSurrogatePair(text, i) ? 2 : 1));
        }

        // Each adjacent pair's merged id (or -1); only the two pairs touching a merge are looked up again.
        var pairs = new List<int>(symbols.Count);
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            pairs.Add(PairId(symbols[i], symbols[i + 1]));
        }

        while (true)
        {
            var best = -1;
            for (var i = 0; i < pairs.Count; i++)
            {
                if (pairs[i] >= 0 && (best < 0 || _scores[pairs[i]] > _scores[pairs[best]]))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            symbols[best] += symbols[best + 1];
            symbols.RemoveAt(best + 1);
            pairs.RemoveAt(best);
            if (best > 0)
            {
                pairs[best - 1] = PairId(symbols[best - 1], symbols[best]);
            }

            if (best < pairs.Count)
            {
                pairs[best] = PairId(symbols[best], symbols[best + 1]);
            }
        }

        foreach (var symbol in symbols)
        {
            if (_mergeable.TryGetValue(symbol, out var id))
            {
                output.Add(id);
                continue;
            }

            foreach (var b in Encoding.UTF8.GetBytes(symbol))
            {
                output.Add(_byteIds[b] >= 0 ? _byteIds[b] : Vocabulary.UnknownId ?? 0);
            }
        }
    }

    // A -∞ score marks a piece no merge produces (tokenizer.json vocabularies); it is never a merge target.
    private int PairId(string left, string right) => _mergeable.TryGetValue(left + right, out var id) && !float.IsNegativeInfinity(_scores[id]) ? id : -1;

    private static bool TryParseByte(string piece, out byte value)
    {
        value = 0;
        return piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
            && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
    }
}
