using System.Text;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// Turns a stream of token ids into text as it arrives. A character split across byte tokens is held back until its
/// last byte comes, so streamed text concatenates to exactly the decode of all ids (special tokens skipped for
/// tokenizers other than llama2.c's, which has no special-token text).
/// </summary>
public sealed class StreamingTextDecoder
{
    private readonly Llama2cTokenizer? _llama2c;
    private readonly ITextTokenizer? _tokenizer;
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private readonly char[] _chars = new char[256];
    private readonly List<int> _ids = [];
    private int _emitted;

    /// <summary>Creates a decoder for ids of <paramref name="tokenizer"/>.</summary>
    public StreamingTextDecoder(Llama2cTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _llama2c = tokenizer;
    }

    /// <summary>Creates a decoder for ids of any <paramref name="tokenizer"/>.</summary>
    public StreamingTextDecoder(ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _llama2c = tokenizer as Llama2cTokenizer;
        _tokenizer = _llama2c is null ? tokenizer : null;
    }

    /// <summary>Adds one token; returns the text it completes (empty while a multi-byte character is incomplete).</summary>
    public string Append(int tokenId)
    {
        if (_llama2c is not null)
        {
            return Convert(_llama2c.DecodeBytes(tokenId), flush: false);
        }

        // Decoders are not all per-token (SentencePiece drops the first dummy space, WordPiece joins "##" pieces),
        // so the whole sequence is decoded and the new stable suffix emitted; a trailing U+FFFD is an incomplete
        // UTF-8 sequence still waiting for its bytes.
        _ids.Add(tokenId);
        var text = _tokenizer!.Decode(_ids, skipSpecialTokens: true);
        var end = text.Length;
        while (end > _emitted && text[end - 1] == '\uFFFD')
        {
            end--;
        }

        if (end <= _emitted)
        {
            return string.Empty;
        }

        var delta = text[_emitted..end];
        _emitted = end;
        return delta;
    }

    /// <summary>Ends the stream; returns replacement characters for any dangling partial character.</summary>
    public string Flush()
    {
        if (_llama2c is not null)
        {
            return Convert([], flush: true);
        }

        var text = _tokenizer!.Decode(_ids, skipSpecialTokens: true);
        var rest = text.Length > _emitted ? text[_emitted..] : string.Empty;
        _emitted = text.Length;
        return rest;
    }

    private string Convert(ReadOnlySpan<byte> bytes, bool flush)
    {
        // A piece is at most MaxTokenLength bytes, so the buffer grows only for unusual vocabularies.
        var needed = _utf8.GetCharCount(bytes, flush);
        var buffer = needed <= _chars.Length ? _chars : new char[needed];
        var count = _utf8.GetChars(bytes, buffer, flush);
        return new string(buffer, 0, count);
    }
}
