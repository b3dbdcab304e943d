using System.Text;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// Turns a stream of llama2.c token ids into text as it arrives. A character split across byte-fallback
/// tokens is held back until its last byte comes, so streamed text concatenates to exactly
/// <see cref="Llama2cTokenizer.Decode"/> of all ids.
/// </summary>
public sealed class StreamingTextDecoder
{
    private readonly Llama2cTokenizer _tokenizer;
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private readonly char[] _chars = new char[256];

    /// <summary>Creates a decoder for ids of <paramref name="tokenizer"/>.</summary>
    public StreamingTextDecoder(Llama2cTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
    }

    /// <summary>Adds one token; returns the text it completes (empty while a multi-byte character is incomplete).</summary>
    public string Append(int tokenId) => Convert(_tokenizer.DecodeBytes(tokenId), flush: false);

    /// <summary>Ends the stream; returns replacement characters for any dangling partial character.</summary>
    public string Flush() => Convert([], flush: true);

    private string Convert(ReadOnlySpan<byte> bytes, bool flush)
    {
        // A piece is at most MaxTokenLength bytes, so the buffer grows only for unusual vocabularies.
        var needed = _utf8.GetCharCount(bytes, flush);
        var buffer = needed <= _chars.Length ? _chars : new char[needed];
        var count = _utf8.GetChars(bytes, buffer, flush);
        return new string(buffer, 0, count);
    }
}
