using System.Text;
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
    // more than the rest of the filter) and the index in _runText where its first character starts.
    private readonly List<BufferedToken> _run = [];
    private readonly List<int> _runTextStarts = [];
    private readonly StringBuilder _runText = new();
    private string _lastBigramTail = string.Empty;
    private readonly Queue<BufferedToken> _pending = new();

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
            if (_pending.Count > 0)
            {
                Emit(_pending.Dequeue());
                return true;
            }

            if (_exhausted)
            {
                return false;
            }

            bool hasToken;
            if (_lookaheadBigram is { } bigram)
            {
                Emit(bigram);
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
                    _lookaheadBigram = new BufferedToken(_term.ToString(), _offset.StartOffset, _offset.EndOffset, _positionIncrement.PositionIncrement, DoubleType);
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
        var previousFirstLength = _runText.Length - _runTextStarts[^1];
        return _offset.StartOffset == previousStart + previousFirstLength;
    }

    private void AppendToRun()
    {
        var text = _term.ToString();
        var firstLength = text.Length > 1 && char.IsHighSurrogate(text[0]) ? 2 : 1;
        _run.Add(new BufferedToken(text, _offset.StartOffset, _offset.EndOffset, _positionIncrement.PositionIncrement, DoubleType));
        _runTextStarts.Add(_runText.Length);
        _runText.Append(text, 0, Math.Min(firstLength, text.Length));
        _lastBigramTail = text.Length > firstLength ? text[firstLength..] : string.Empty;
    }

    private void FlushRun()
    {
        if (_run.Count == 0)
        {
            return;
        }

        _runText.Append(_lastBigramTail);
        var text = _runText.ToString();
        for (var i = 0; i < _run.Count; i++)
        {
            _pending.Enqueue(_run[i]);
            if (_dictionary.Count == 0)
            {
                continue;
            }

            var start = _runTextStarts[i];
            var length = _dictionary.LongestMatchAt(text, start);
            if (length <= 2)
            {
                continue;
            }

            _pending.Enqueue(new BufferedToken(text.Substring(start, length), _run[i].Start, _run[i].Start + length, 0, DictionaryTokenType));
        }

        ClearRun();
    }

    private void Emit(BufferedToken token)
    {
        ClearAttributes();
        _term.SetEmpty().Append(token.Text);
        _offset.SetOffset(token.Start, token.End);
        _positionIncrement.PositionIncrement = token.PositionIncrement;
        _type.Type = token.Type;
        _keyword.IsKeyword = true;
    }

    private void ClearRun()
    {
        _run.Clear();
        _runTextStarts.Clear();
        _runText.Clear();
        _lastBigramTail = string.Empty;
    }
}
