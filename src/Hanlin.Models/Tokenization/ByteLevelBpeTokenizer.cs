using System.Text;
using Microsoft.ML.Tokenizers;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// Byte-level BPE (GPT-2, Llama-3, Qwen2, DeepSeek): text is split by the vocabulary's pre-tokenizer regexes,
/// each piece is turned into GPT-2 byte characters and merged by rank. The merging is Microsoft.ML.Tokenizers'
/// <see cref="BpeTokenizer"/> (built from the in-memory vocabulary and merges); added/special tokens, BOS/EOS and
/// decoding of special ids are handled here because <see cref="BpeTokenizer"/> only knows its own vocabulary.
/// </summary>
public sealed class ByteLevelBpeTokenizer : VocabularyTokenizer
{
    private readonly BpeTokenizer _bpe;

    internal ByteLevelBpeTokenizer(TokenizerVocabulary vocabulary, RegexSequencePreTokenizer preTokenizer)
        : base(vocabulary)
    {
        // Only model pieces go to the BPE; added tokens are cut out of the text first by the splitter.
        var modelPieces = Ids.Where(p => vocabulary.Kinds[p.Value] is not (TokenKind.Control or TokenKind.UserDefined or TokenKind.Unused));
        _bpe = BpeTokenizer.Create(new BpeOptions(modelPieces)
        {
            Merges = vocabulary.Merges,
            PreTokenizer = preTokenizer,
            ByteLevel = true,
        });
    }

    /// <inheritdoc/>
    public override int[] Encode(string text, bool addSpecialTokens = true, bool parseSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 2);
        if (addSpecialTokens && Vocabulary.AddBos && Vocabulary.BosId is { } bos)
        {
            ids.Add(bos);
        }

        foreach (var (segment, id) in Splitter.Split(text, parseSpecialTokens))
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
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)Vocabulary.Tokens.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the vocabulary of {Vocabulary.Tokens.Length}.");
            }

            var piece = Vocabulary.Tokens[id];
            if (Vocabulary.Kinds[id] is TokenKind.Control or TokenKind.UserDefined || !ByteLevelAlphabet.TryDecode(piece, bytes))
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


    private static void Flush(List<byte> bytes, StringBuilder text)
    {
        text.Append(Encoding.UTF8.GetString([.. bytes]));
        bytes.Clear();
    }
}
