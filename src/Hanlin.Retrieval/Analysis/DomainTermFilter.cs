using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Hanlin.Retrieval.Analysis;

/// <summary>
/// Runs after <c>CJKBigramFilter</c>: rebuilds each run of adjacent CJK bigrams into its text and, at
/// every character where a <see cref="DomainDictionary"/> term of three or more characters starts, emits
/// the longest such term as an extra token at the same position (position increment 0, type
/// <c>&lt;DICT&gt;</c>). Bigrams pass through unchanged, so recall stays that of plain bigrams while a whole
/// term adds a rare, high-IDF match. Two-character terms are skipped: the bigram already is the term.
/// All CJK tokens are marked as keywords so English stemmers leave them alone.
/// </summary>
/// <remarks>
/// Hand-written because Lucene.Net 4.8 has no dictionary-aware Chinese tokenizer that also keeps bigrams
/// (SmartChineseAnalyzer uses a fixed HMM dictionary and is not shipped in the referenced packages).
/// </remarks>
public sealed class DomainTermFilter : TokenFilter
{
    /// <summary>Token type of the whole dictionary terms this filter adds.</summary>
    public const string DictionaryTokenType = "<DICT>";

    private const string DoubleType = "<DOUBLE>";
    private const string SingleType = "<SINGLE>";

    private readonly DomainDictionary _dictionary;
    private readonly ICharTermAttribute _term;
    private readonly ITypeAttribute _type;
    private readonly IOffsetAttribute _offset;
    private readonly IPositionIncrementAttribute _positionIncrement;
    private readonly IKeywordAttribute _keyword;
    private readonly IPositionLengthAttribute _positionLength;

    // One entry per bigram of the current run: the bigram itself (its text, offsets and position increment;
    // every other attribute of a CJK bigram has its default value, so a bigram is rebuilt from these instead
    // of capturing and restoring the whole attribute state, which cloned every attribute per bigram and cost
    // more than the rest of the filter) and the index in _runChars where its first character starts.
    // Token texts live in _tokenChars (a string per bigram was most of this filter's allocation); the run's
    // own text, which dictionary terms are matched against, in _runChars. Both are reused from run to run:
    // a run starts only once every token of the previous one has been emitted.
    private readonly List<BufferedToken> _run = [];
    private readonly List<int> _runTextStarts = [];
    private char[] _runChars = new char[64];
    private int _runLength;
    private char[] _tokenChars = new char[256];
    private int _tokenLength;
    private int _lastBigramTailStart;
    private int _lastBigramTailLength;
    private readonly List<BufferedToken> _pending = [];
    private int _nextPending;

    // The non-bigram token that ended a run, held while the run is flushed. It is copied field by field into
    // reused storage rather than captured as a State: CaptureState clones every attribute (the term buffer
    // included) per run end, which was 15% of indexing CPU on mixed zh/en text. Tokens reaching this filter
    // carry only these attributes (term, offsets, position increment and length, type, keyword); every other
    // attribute keeps its default, as ClearAttributes leaves it.
    private char[] _lookaheadTerm = new char[32];
    private int _lookaheadLength;
    private int _lookaheadStart;
    private int _lookaheadEnd;
    private int _lookaheadIncrement;
    private int _lookaheadPositionLength;
    private string _lookaheadType = string.Empty;
    private bool _lookaheadKeyword;
    private bool _hasLookahead;

    // The usual look-ahead: the first bigram of the next run (CJK runs split at punctuation), kept without a state.
    private char[] _lookaheadBigramText = new char[4];
    private BufferedToken? _lookaheadBigram;
    private bool _exhausted;

    /// <summary>Wraps <paramref name="input"/>, which must already carry CJK bigrams.</summary>
    public DomainTermFilter(TokenStream input, DomainDictionary dictionary)
        : base(input)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        _dictionary = dictionary;
        _term = AddAttribute<ICharTermAttribute>();
        _type = AddAttribute<ITypeAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _positionIncrement = AddAttribute<IPositionIncrementAttribute>();
        _keyword = AddAttribute<IKeywordAttribute>();
        _positionLength = AddAttribute<IPositionLengthAttribute>();
    }

    /// <inheritdoc />
    public override bool IncrementToken()
    {
        while (true)
        {
            if (_nextPending < _pending.Count)
            {
                Emit(_pending[_nextPending++], _tokenChars);
                if (_nextPending == _pending.Count)
                {
                    _pending.Clear();
                    _nextPending = 0;
                }

                return true;
            }

            if (_exhausted)
            {
                return false;
            }

            bool hasToken;
            if (_lookaheadBigram is { } bigram)
            {
                Emit(bigram, _lookaheadBigramText);
                _lookaheadBigram = null;
                hasToken = true;
            }
            else if (_hasLookahead)
            {
                RestoreLookahead();
                hasToken = true;
            }
            else
            {
                hasToken = m_input.IncrementToken();
            }

            if (!hasToken)
            {
                _exhausted = true;
                FlushRun();
                continue;
            }

            if (_type.Type == DoubleType)
            {
                _keyword.IsKeyword = true;
                if (_run.Count > 0 && !ContinuesRun())
                {
                    var length = _term.Length;
                    if (_lookaheadBigramText.Length < length)
                    {
                        _lookaheadBigramText = new char[length];
                    }

                    Array.Copy(_term.Buffer, _lookaheadBigramText, length);
                    _lookaheadBigram = new BufferedToken(0, length, _offset.StartOffset, _offset.EndOffset, _positionIncrement.PositionIncrement, DoubleType);
                    FlushRun();
                    continue;
                }

                AppendToRun();
                continue;
            }

            if (_run.Count > 0)
            {
                SaveLookahead();
                FlushRun();
                continue;
            }

            if (_type.Type == SingleType)
            {
                _keyword.IsKeyword = true;
            }

            return true;
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        ClearRun();
        _pending.Clear();
        _nextPending = 0;
        _tokenLength = 0;
        _hasLookahead = false;
        _lookaheadBigram = null;
        _exhausted = false;
    }

    private void SaveLookahead()
    {
        var length = _term.Length;
        if (_lookaheadTerm.Length < length)
        {
            _lookaheadTerm = new char[Math.Max(length, _lookaheadTerm.Length * 2)];
        }

        Array.Copy(_term.Buffer, _lookaheadTerm, length);
        _lookaheadLength = length;
        _lookaheadStart = _offset.StartOffset;
        _lookaheadEnd = _offset.EndOffset;
        _lookaheadIncrement = _positionIncrement.PositionIncrement;
        _lookaheadPositionLength = _positionLength.PositionLength;
        _lookaheadType = _type.Type;
        _lookaheadKeyword = _keyword.IsKeyword;
        _hasLookahead = true;
    }

    private void RestoreLookahead()
    {
        ClearAttributes();
        _term.CopyBuffer(_lookaheadTerm, 0, _lookaheadLength);
        _offset.SetOffset(_lookaheadStart, _lookaheadEnd);
        _positionIncrement.PositionIncrement = _lookaheadIncrement;
        _positionLength.PositionLength = _lookaheadPositionLength;
        _type.Type = _lookaheadType;
        _keyword.IsKeyword = _lookaheadKeyword;
        _hasLookahead = false;
    }

    private bool ContinuesRun()
    {
        // Adjacent bigrams overlap by one character: the next one starts where the previous one's
        // second character starts.
        var previousStart = _run[^1].Start;
        var previousFirstLength = _runLength - _runTextStarts[^1];
        return _offset.StartOffset == previousStart + previousFirstLength;
    }

    private void AppendToRun()
    {
        if (_run.Count == 0 && _pending.Count == 0)
        {
            // Every token of the previous run has been emitted: their texts can be overwritten.
            _tokenLength = 0;
        }

        var buffer = _term.Buffer;
        var length = _term.Length;
        var firstLength = length > 1 && char.IsHighSurrogate(buffer[0]) ? 2 : 1;
        var at = Append(ref _tokenChars, ref _tokenLength, buffer, 0, length);
        _run.Add(new BufferedToken(at, length, _offset.StartOffset, _offset.EndOffset, _positionIncrement.PositionIncrement, DoubleType));
        _runTextStarts.Add(_runLength);
        Append(ref _runChars, ref _runLength, buffer, 0, Math.Min(firstLength, length));
        _lastBigramTailStart = at + firstLength;
        _lastBigramTailLength = Math.Max(0, length - firstLength);
    }

    private void FlushRun()
    {
        if (_run.Count == 0)
        {
            return;
        }

        Append(ref _runChars, ref _runLength, _tokenChars, _lastBigramTailStart, _lastBigramTailLength);
        for (var i = 0; i < _run.Count; i++)
        {
            _pending.Add(_run[i]);
            if (_dictionary.Count == 0)
            {
                continue;
            }

            var start = _runTextStarts[i];
            var length = _dictionary.LongestMatchAt(_runChars.AsSpan(0, _runLength), start);
            if (length <= 2)
            {
                continue;
            }

            var at = Append(ref _tokenChars, ref _tokenLength, _runChars, start, length);
            _pending.Add(new BufferedToken(at, length, _run[i].Start, _run[i].Start + length, 0, DictionaryTokenType));
        }

        ClearRun();
    }

    /// <summary>Appends <paramref name="count"/> chars of <paramref name="source"/> to a growable buffer; returns where they start.</summary>
    private static int Append(ref char[] buffer, ref int length, char[] source, int start, int count)
    {
        if (buffer.Length < length + count)
        {
            Array.Resize(ref buffer, Math.Max(length + count, buffer.Length * 2));
        }

        Array.Copy(source, start, buffer, length, count);
        var at = length;
        length += count;
        return at;
    }

    private void Emit(BufferedToken token, char[] text)
    {
        ClearAttributes();
        _term.CopyBuffer(text, token.TextStart, token.TextLength);
        _offset.SetOffset(token.Start, token.End);
        _positionIncrement.PositionIncrement = token.PositionIncrement;
        _type.Type = token.Type;
        _keyword.IsKeyword = true;
    }

    private void ClearRun()
    {
        _run.Clear();
        _runTextStarts.Clear();
        _runLength = 0;
        _lastBigramTailStart = 0;
        _lastBigramTailLength = 0;
    }
}
