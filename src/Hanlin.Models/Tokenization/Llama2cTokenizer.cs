using System.Text;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// The llama2.c SentencePiece-style BPE tokenizer (<c>tokenizer.bin</c> / <c>tok512.bin</c>): per-token
/// merge scores, byte-fallback tokens <c>&lt;0x00&gt;</c>..<c>&lt;0xFF&gt;</c> at ids 3..258, BOS=1, EOS=2.
/// Encoding reproduces llama2.c <c>run.c</c> exactly, including its greedy highest-score merge order.
/// </summary>
/// <remarks>
/// Pieces are compared as raw bytes; they are keyed here as Latin-1 strings, a lossless one-char-per-byte
/// mapping, so lookups behave like run.c's <c>strcmp</c> on byte strings.
/// </remarks>
public sealed class Llama2cTokenizer : ITextTokenizer
{
    private const int ByteFallbackOffset = 3;
    private static readonly Encoding Latin1 = Encoding.Latin1;

    private readonly byte[][] _pieces;
    private readonly byte[][] _decoded;
    private readonly float[] _scores;
    private readonly Dictionary<string, int> _ids;
    private readonly int _dummyPrefixId;

    private Llama2cTokenizer(byte[][] pieces, float[] scores, int maxTokenLength)
    {
        _pieces = pieces;
        _scores = scores;
        MaxTokenLength = maxTokenLength;
        _ids = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        _decoded = new byte[pieces.Length][];
        for (var id = 0; id < pieces.Length; id++)
        {
            _decoded[id] = TryParseByteToken(pieces[id], out var value) ? [value] : pieces[id];
            // run.c binary-searches a sorted copy; with duplicate pieces the first id is as good a choice as any.
            _ids.TryAdd(Latin1.GetString(pieces[id]), id);
        }

        _dummyPrefixId = _ids.GetValueOrDefault(" ", -1);
    }

    /// <summary>Beginning-of-sequence id (llama2.c: 1).</summary>
    public int BosId => 1;

    /// <summary>End-of-sequence id (llama2.c: 2).</summary>
    public int EosId => 2;

    /// <summary>
    /// Ids that end a generation: BOS, with which llama2.c models begin the next story (run.c stops there),
    /// and EOS.
    /// </summary>
    public IReadOnlySet<int> StopTokenIds { get; } = new HashSet<int> { 1, 2 };

    /// <summary>Number of pieces in the vocabulary.</summary>
    public int VocabSize => _pieces.Length;

    /// <summary>The longest piece in bytes, as recorded in the file header.</summary>
    public int MaxTokenLength { get; }

    /// <inheritdoc/>
    int ITextTokenizer.VocabularySize => VocabSize;

    /// <inheritdoc/>
    int? ITextTokenizer.BosTokenId => BosId;

    /// <inheritdoc/>
    int? ITextTokenizer.EosTokenId => EosId;

    /// <inheritdoc/>
    IReadOnlySet<int> ITextTokenizer.SpecialTokenIds => StopTokenIds;

    /// <summary>Reads a llama2.c tokenizer file for a model with <paramref name="vocabSize"/> tokens (or, when null, as many as the file holds).</summary>
    /// <exception cref="HanlinException">The file is missing (<c>file_not_found</c>) or malformed (<c>corrupt_file</c>).</exception>
    public static Llama2cTokenizer Load(string path, int? vocabSize = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"Tokenizer file '{path}' does not exist.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"Tokenizer file '{path}' could not be read: {ex.Message}", ex);
        }

        return Parse(bytes, path, vocabSize);
    }

    /// <summary>Encodes <paramref name="text"/> as llama2.c <c>encode()</c> does (see the note on multi-byte code points).</summary>
    /// <param name="text">UTF-8 text; an empty string yields only the optional BOS/EOS.</param>
    /// <param name="addBos">Prepend BOS (llama2.c generation does).</param>
    /// <param name="addEos">Append EOS.</param>
    public IReadOnlyList<int> Encode(string text, bool addBos = true, bool addEos = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<int>(text.Length + 3);
        if (addBos)
        {
            tokens.Add(BosId);
        }

        // SentencePiece's add_dummy_prefix: a leading space piece, only for non-empty text.
        if (text.Length > 0 && _dummyPrefixId >= 0)
        {
            tokens.Add(_dummyPrefixId);
        }

        // One token per ASCII character when the vocabulary has it, else one byte-fallback token per byte. Multi-byte
        // code points always fall back to bytes, as the reference encodings of ../shared/models/stories260K require
        // ("é" is 198 172 there although tok512 lists "é" as piece 485, which run.c's whole-code-point lookup would
        // pick); the merges never rebuild such a piece, since byte tokens' pieces are "<0xNN>" strings.
        var utf8 = Encoding.UTF8.GetBytes(text);
        var start = 0;
        while (start < utf8.Length)
        {
            var end = start + 1;
            while (end < utf8.Length && (utf8[end] & 0xC0) == 0x80 && end - start < 4)
            {
                end++;
            }

            if (end - start == 1 && _ids.TryGetValue(Latin1.GetString(utf8, start, 1), out var id))
            {
                tokens.Add(id);
            }
            else
            {
                for (var i = start; i < end; i++)
                {
                    tokens.Add(utf8[i] + ByteFallbackOffset);
                }
            }

            start = end;
        }

        MergePairs(tokens);
        if (addEos)
        {
            tokens.Add(EosId);
        }

        return tokens;
    }

    /// <summary>The raw bytes a token stands for: byte-fallback tokens give their single byte.</summary>
    public ReadOnlySpan<byte> DecodeBytes(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _pieces.Length);
        return _decoded[id];
    }

    /// <summary>Concatenates the pieces of <paramref name="ids"/> (byte tokens as bytes) and decodes the result as UTF-8.</summary>
    /// <remarks>Unlike run.c's printer, the space after BOS is kept: the text is exactly the pieces.</remarks>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var buffer = new List<byte>();
        foreach (var id in ids)
        {
            buffer.AddRange(DecodeBytes(id));
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <inheritdoc/>
    /// <remarks>llama2.c has no special-token text to parse; <paramref name="addSpecialTokens"/> adds BOS only.</remarks>
    int[] ITextTokenizer.Encode(string text, bool addSpecialTokens, bool parseSpecialTokens) => [.. Encode(text, addBos: addSpecialTokens)];

    /// <inheritdoc/>
    string ITextTokenizer.Decode(IEnumerable<int> ids, bool skipSpecialTokens) =>
        Decode(skipSpecialTokens ? ids.Where(id => id is not (1 or 2)) : ids);

    /// <inheritdoc/>
    /// <remarks>The piece's bytes read as UTF-8 (byte-fallback pieces stay <c>&lt;0xHH&gt;</c>).</remarks>
    public string? IdToToken(int id) => (uint)id < (uint)_pieces.Length ? Encoding.UTF8.GetString(_pieces[id]) : null;

    /// <inheritdoc/>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _ids.TryGetValue(Latin1.GetString(Encoding.UTF8.GetBytes(token)), out var id) ? id : null;
    }

    internal static Llama2cTokenizer Parse(byte[] bytes, string path, int? vocabSize)
    {
        // Layout: int32 max_token_length, then per token: float32 score, int32 length, length bytes.
        var offset = 0;
        var maxTokenLength = ReadInt32(bytes, ref offset, path);
        if (maxTokenLength <= 0 || maxTokenLength > 1 << 16)
        {
            throw Corrupt(path, $"implausible max_token_length {maxTokenLength}");
        }

        var pieces = new List<byte[]>();
        var scores = new List<float>();
        while (offset < bytes.Length && (vocabSize is null || pieces.Count < vocabSize))
        {
            var score = BitConverter.Int32BitsToSingle(ReadInt32(bytes, ref offset, path));
            var length = ReadInt32(bytes, ref offset, path);
            if (length < 0 || length > bytes.Length - offset)
            {
                throw Corrupt(path, $"token {pieces.Count} claims {length} bytes but {bytes.Length - offset} remain");
            }

            pieces.Add(bytes.AsSpan(offset, length).ToArray());
            scores.Add(score);
            offset += length;
        }

        if (vocabSize is not null && pieces.Count < vocabSize)
        {
            throw Corrupt(path, $"it holds {pieces.Count} tokens but the model needs {vocabSize}");
        }

        if (pieces.Count <= 258 + 1)
        {
            throw Corrupt(path, $"it holds only {pieces.Count} tokens, fewer than BOS/EOS/UNK plus 256 byte tokens");
        }

        return new Llama2cTokenizer([.. pieces], [.. scores], maxTokenLength);
    }

    private void MergePairs(List<int> tokens)
    {
        // run.c: repeatedly merge the adjacent pair whose concatenation is in the vocabulary with the
        // highest score (leftmost on ties), until no pair merges. BOS takes part, as in run.c.
        // Each pair's candidate is cached and only the two pairs touching a merge are looked up again,
        // so a pass is a scan of floats rather than a string concatenation per pair.
        var pairIds = new List<int>(tokens.Count);
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            pairIds.Add(PairId(tokens[i], tokens[i + 1]));
        }

        while (true)
        {
            var bestScore = -1e10f;
            var bestIndex = -1;
            for (var i = 0; i < pairIds.Count; i++)
            {
                if (pairIds[i] >= 0 && _scores[pairIds[i]] > bestScore)
                {
                    bestScore = _scores[pairIds[i]];
                    bestIndex = i;
                }
            }

            if (bestIndex < 0)
            {
                return;
            }

            tokens[bestIndex] = pairIds[bestIndex];
            tokens.RemoveAt(bestIndex + 1);
            pairIds.RemoveAt(bestIndex);
            if (bestIndex > 0)
            {
                pairIds[bestIndex - 1] = PairId(tokens[bestIndex - 1], tokens[bestIndex]);
            }

            if (bestIndex < pairIds.Count)
            {
                pairIds[bestIndex] = PairId(tokens[bestIndex], tokens[bestIndex + 1]);
            }
        }
    }

    private int PairId(int left, int right) =>
        _ids.TryGetValue(Latin1.GetString(_pieces[left]) + Latin1.GetString(_pieces[right]), out var id) ? id : -1;

    private static bool TryParseByteToken(byte[] piece, out byte value)
    {
        // Exactly "<0xHH>", as run.c's sscanf("<0x%02hhX>") accepts for the byte-fallback pieces.
        value = 0;
        return piece.Length == 6 && piece[0] == '<' && piece[1] == '0' && piece[2] == 'x' && piece[5] == '>'
            && byte.TryParse(piece.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out value);
    }

    private static int ReadInt32(byte[] bytes, ref int offset, string path)
    {
        if (bytes.Length - offset < 4)
        {
            throw Corrupt(path, $"it ends at byte {bytes.Length} in the middle of a field");
        }

        var value = BitConverter.ToInt32(bytes, offset);
        offset += 4;
        return value;
    }

    private static HanlinException Corrupt(string path, string problem) =>
        new(ErrorCodes.CorruptFile, $"Tokenizer file '{path}' is not a valid llama2.c tokenizer: {problem}.");
}
