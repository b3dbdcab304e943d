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

    // One entry per bigram of the current run: its captured state, its start offset in the source text
    // and the index in _runText where its first character starts.
    private readonly List<State> _runStates = [];
    private readonly List<int> _runOffsets = [];
    private readonly List<int> _runTextStarts = [];
    private readonly StringBuilder _runText = new();
    private string _lastBigramTail = string.Empty;
    private readonly Queue<State> _pending = new();
    private State? _lookahead;
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
    }

    /// <inheritdoc />
    public override bool IncrementToken()
    {
        while (true)
        {
            if (_pending.Count > 0)
            {
                RestoreState(_pending.Dequeue());
                return true;
            }

            if (_exhausted)
            {
                return false;
            }

            bool hasToken;
            if (_lookahead is not null)
            {
                RestoreState(_lookahead);
                _lookahead = null;
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
                if (_runStates.Count > 0 && !ContinuesRun())
                {
                    _lookahead = CaptureState();
                    FlushRun();
                    continue;
                }

                AppendToRun();
                continue;
            }

            if (_runStates.Count > 0)
            {
                _lookahead = CaptureState();
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
        _lookahead = null;
        _exhausted = false;
    }

    private bool ContinuesRun()
    {
        // Adjacent bigrams overlap by one character: the next one starts where the previous one's
        // second character starts.
        var previousStart = _runOffsets[^1];
        var previousFirstLength = _runText.Length - _runTextStarts[^1];
        return _offset.StartOffset == previousStart + previousFirstLength;
    }

    private void AppendToRun()
    {
        var text = _term.ToString();
        var firstLength = text.Length > 1 && char.IsHighSurrogate(text[0]) ? 2 : 1;
        _runStates.Add(CaptureState());
        _runOffsets.Add(_offset.StartOffset);
        _runTextStarts.Add(_runText.Length);
        _runText.Append(text, 0, Math.Min(firstLength, text.Length));
        _lastBigramTail = text.Length > firstLength ? text[firstLength..] : string.Empty;
    }

    private void FlushRun()
    {
        if (_runStates.Count == 0)
        {
            return;
        }

        _runText.Append(_lastBigramTail);
        var text = _runText.ToString();
        for (var i = 0; i < _runStates.Count; i++)
        {
            _pending.Enqueue(_runStates[i]);
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

            RestoreState(_runStates[i]);
            _term.SetEmpty().Append(text, start, length);
            _type.Type = DictionaryTokenType;
            _positionIncrement.PositionIncrement = 0;
            _offset.SetOffset(_runOffsets[i], _runOffsets[i] + length);
            _keyword.IsKeyword = true;
            _pending.Enqueue(CaptureState());
        }

        ClearRun();
    }

    private void ClearRun()
    {
        _runStates.Clear();
        _runOffsets.Clear();
        _runTextStarts.Clear();
        _runText.Clear();
        _lastBigramTail = string.Empty;
    }
}
