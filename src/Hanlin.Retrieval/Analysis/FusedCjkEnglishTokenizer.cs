using System.Runtime.CompilerServices;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;

namespace Hanlin.Retrieval.Analysis;

/// <summary>
/// Produces in one pass exactly the tokens of <see cref="HanlinAnalyzer"/>'s reference chain up to and including
/// <see cref="DomainTermFilter"/> (StandardTokenizer, CJKWidthFilter, InvariantLowerCaseFilter,
/// EnglishPossessiveFilter, CJKBigramFilter, DomainTermFilter): same terms, offsets, position increments and
/// lengths, types and keyword flags. It buffers the input and tokenizes it itself when every character is in
/// <see cref="SimpleCharTable"/>; otherwise (or for an input over <see cref="MaxBufferedChars"/>, or a word long
/// enough for StandardTokenizer's length limit to matter) it runs the reference chain and copies its tokens out.
/// </summary>
/// <remarks>
/// Hand-written because the reference chain costs eight virtual calls per token, an attribute-state clone per
/// CJK character in CJKBigramFilter and a JFlex scanner that is slow per character, and no Lucene.Net component
/// fuses them. The UAX#29 rules reproduced are those of Lucene 4.8's grammar restricted to the supported classes:
/// a word is <c>E* U ((ε | E+ | M) U)* E*</c> where U is a letter or digit, E the underscore, and M one
/// MidLetter/MidNumLet char between two letters or one MidNum/MidNumLet char between two digits; a word with no
/// letter is <c>&lt;NUM&gt;</c> (the grammar's earlier numeric rule wins the tie).
/// </remarks>
internal sealed class FusedCjkEnglishTokenizer : Tokenizer
{
    /// <summary>Inputs longer than this (chars) are streamed through the reference chain instead of buffered.</summary>
    public const int MaxBufferedChars = 1 << 20;

    // StandardTokenizer drops words over 255 chars (adding their positions to the next token's increment), and
    // its scanner looks up to two chars past a word; words this long go to the reference chain to stay exact.
    private const int MaxFastWordLength = 240;

    // Buffers bigger than this (chars, tokens) are dropped after use rather than kept for the next input.
    private const int RetainedChars = 1 << 16;

    private static readonly string[] Types =
    [
        StandardTokenizer.TOKEN_TYPES[StandardTokenizer.ALPHANUM],
        StandardTokenizer.TOKEN_TYPES[StandardTokenizer.NUM],
        "<SINGLE>",
        "<DOUBLE>",
        DomainTermFilter.DictionaryTokenType,
    ];

    private readonly DomainDictionary _dictionary;
    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offset;
    private readonly IPositionIncrementAttribute _positionIncrement;
    private readonly IPositionLengthAttribute _positionLength;
    private readonly ITypeAttribute _type;
    private readonly IKeywordAttribute _keyword;

    private char[] _text = new char[1024];
    private int _length;
    private readonly List<FusedToken> _tokens = [];
    private int _next;

    // The reference chain, built on first need and reused; open while it is analysing the current input.
    private TokenStreamComponents? _reference;
    private bool _referenceOpen;

    /// <summary>Tokenizes <paramref name="input"/>, emitting whole terms of <paramref name="dictionary"/>.</summary>
    public FusedCjkEnglishTokenizer(TextReader input, DomainDictionary dictionary)
        : base(input)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        _dictionary = dictionary;
        _term = AddAttribute<ICharTermAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _positionIncrement = AddAttribute<IPositionIncrementAttribute>();
        _positionLength = AddAttribute<IPositionLengthAttribute>();
        _type = AddAttribute<ITypeAttribute>();
        _keyword = AddAttribute<IKeywordAttribute>();
    }

    /// <summary>Whether the current input is being analysed by the reference chain (for tests).</summary>
    internal bool UsesReferenceChain => _referenceOpen;

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        ClearAttributes();
        CloseReference();
        _tokens.Clear();
        _next = 0;
        var whole = ReadInput();
        if (whole && Tokenize())
        {
            return;
        }

        _tokens.Clear();
        TextReader reader = whole ? new StringReader(new string(_text, 0, _length)) : new ReplayReader(_text, _length, m_input);
        if (_reference is null)
        {
            _reference = HanlinAnalyzer.CreateReferenceChain(reader, _dictionary);
        }
        else
        {
            _reference.Tokenizer.SetReader(reader);
        }

        _reference.TokenStream.Reset();
        _referenceOpen = true;
    }

    /// <inheritdoc />
    public override bool IncrementToken()
    {
        if (_referenceOpen)
        {
            return CopyReferenceToken();
        }

        if (_next >= _tokens.Count)
        {
            return false;
        }

        // Every attribute a token carries is set below, in place of ClearAttributes (12% of this analyzer's
        // time): the chain after this tokenizer (StopFilter, PorterStemFilter) only rewrites the term and the
        // position increment, so any other attribute a consumer adds keeps the default Reset gave it.
        var token = _tokens[_next++];
        var termLength = token.TermLength;
        var buffer = _term.ResizeBuffer(termLength);

        // Han characters are their own width-folded lower case, so one loop serves every kind; terms are short,
        // and a per-char table read beats Array.Copy's call overhead at these lengths.
        var normalized = SimpleCharTable.Normalized;
        var text = _text.AsSpan(token.Start, termLength);
        for (var i = 0; i < text.Length; i++)
        {
            buffer[i] = normalized[text[i]];
        }

        _term.Length = termLength;
        _offset.SetOffset(CorrectOffset(token.Start), CorrectOffset(token.End));
        _type.Type = Types[(int)token.Kind];
        _keyword.IsKeyword = token.Kind >= FusedTokenKind.Single;
        _positionIncrement.PositionIncrement = token.Kind == FusedTokenKind.Dictionary ? 0 : 1;
        _positionLength.PositionLength = 1;

        return true;
    }

    /// <inheritdoc />
    public override void End()
    {
        base.End();
        if (_referenceOpen)
        {
            var reference = _reference!.TokenStream;
            reference.End();
            var offset = reference.GetAttribute<IOffsetAttribute>();
            _offset.SetOffset(CorrectOffset(offset.StartOffset), CorrectOffset(offset.EndOffset));
            _positionIncrement.PositionIncrement = reference.GetAttribute<IPositionIncrementAttribute>().PositionIncrement;
            CloseReference();
            return;
        }

        var final = CorrectOffset(_length);
        _offset.SetOffset(final, final);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseReference();

            // Components live as long as their thread and analyzer: one huge input must not pin megabytes.
            if (_text.Length > RetainedChars)
            {
                _text = new char[1024];
            }

            if (_tokens.Capacity > RetainedChars)
            {
                _tokens.Clear();
                _tokens.Capacity = 1024;
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Buffers up to <see cref="MaxBufferedChars"/> chars of the input; false when there is more.</summary>
    private bool ReadInput()
    {
        _length = 0;
        while (true)
        {
            if (_length == _text.Length)
            {
                // One char past the limit tells a long input from one of exactly the limit; it is replayed.
                if (_length > MaxBufferedChars)
                {
                    return false;
                }

                Array.Resize(ref _text, Math.Min(_text.Length * 2, MaxBufferedChars + 1));
            }

            var read = m_input.Read(_text, _length, _text.Length - _length);
            if (read <= 0)
            {
                return true;
            }

            _length += read;
        }
    }

    /// <summary>Tokenizes the buffered input into <see cref="_tokens"/>; false when it needs the reference chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Tokenize()
    {
        var classes = SimpleCharTable.Classes;
        var text = _text;
        var length = _length;
        var i = 0;
        while (i < length)
        {
            switch (classes[text[i]])
            {
                case WordBreakClass.Unsupported:
                    return false;
                case WordBreakClass.Han:
                    var runEnd = i + 1;
                    while (runEnd < length && classes[text[runEnd]] == WordBreakClass.Han)
                    {
                        runEnd++;
                    }

                    AddHanRun(i, runEnd);
                    i = runEnd;
                    break;
                case WordBreakClass.Letter or WordBreakClass.Numeric or WordBreakClass.ExtendNumLet:
                    i = ScanWord(i);
                    if (i < 0)
                    {
                        return false;
                    }

                    break;
                default:
                    i++;
                    break;
            }
        }

        return true;
    }

    /// <summary>Adds the word starting at <paramref name="start"/>, if any; returns where scanning goes on, or -1 to give up.</summary>
    private int ScanWord(int start)
    {
        var classes = SimpleCharTable.Classes;
        var text = _text;
        var length = _length;
        var k = start;
        while (k < length && classes[text[k]] == WordBreakClass.ExtendNumLet)
        {
            k++;
        }

        // Underscores that lead to no letter or digit are skipped one by one by the scanner: no token.
        if (k == length || classes[text[k]] is not (WordBreakClass.Letter or WordBreakClass.Numeric))
        {
            return k;
        }

        var last = classes[text[k]];
        var hasLetter = last == WordBreakClass.Letter;
        k++;
        var end = k;
        while (k < length)
        {
            var c = classes[text[k]];
            if (c is WordBreakClass.Letter or WordBreakClass.Numeric)
            {
                last = c;
                hasLetter |= c == WordBreakClass.Letter;
                end = ++k;
                continue;
            }

            if (c == WordBreakClass.ExtendNumLet)
            {
                var m = k + 1;
                while (m < length && classes[text[m]] == WordBreakClass.ExtendNumLet)
                {
                    m++;
                }

                end = m;
                if (m < length && classes[text[m]] is WordBreakClass.Letter or WordBreakClass.Numeric)
                {
                    last = classes[text[m]];
                    hasLetter |= last == WordBreakClass.Letter;
                    end = k = m + 1;
                    continue;
                }

                break;
            }

            if (k + 1 < length)
            {
                var next = classes[text[k + 1]];
                var joinsLetters = last == WordBreakClass.Letter && next == WordBreakClass.Letter
                    && c is WordBreakClass.MidLetter or WordBreakClass.MidNumLet;
                var joinsDigits = last == WordBreakClass.Numeric && next == WordBreakClass.Numeric
                    && c is WordBreakClass.MidNum or WordBreakClass.MidNumLet;
                if (joinsLetters || joinsDigits)
                {
                    end = k += 2;
                    continue;
                }
            }

            break;
        }

        if (end - start > MaxFastWordLength)
        {
            return -1;
        }

        // EnglishPossessiveFilter: a trailing 's after any apostrophe (full-width ones are folded by now) goes.
        var termLength = end - start;
        var normalized = SimpleCharTable.Normalized;
        if (termLength >= 2 && normalized[text[end - 1]] == 's' && normalized[text[end - 2]] is '\'' or '\u2019')
        {
            termLength -= 2;
        }

        _tokens.Add(new FusedToken(start, end, termLength, hasLetter ? FusedTokenKind.Word : FusedTokenKind.Number));
        return end;
    }

    /// <summary>Adds the tokens of a run of Han characters: one single, or bigrams each followed by the dictionary term starting there.</summary>
    private void AddHanRun(int start, int end)
    {
        if (end - start == 1)
        {
            _tokens.Add(new FusedToken(start, end, 1, FusedTokenKind.Single));
            return;
        }

        var run = _text.AsSpan(start, end - start);
        var lookUp = _dictionary.Count > 0;
        for (var i = start; i < end - 1; i++)
        {
            _tokens.Add(new FusedToken(i, i + 2, 2, FusedTokenKind.Double));
            if (lookUp)
            {
                var termLength = _dictionary.LongestLongTermAt(run, i - start);
                if (termLength > 0)
                {
                    _tokens.Add(new FusedToken(i, i + termLength, termLength, FusedTokenKind.Dictionary));
                }
            }
        }
    }

    private bool CopyReferenceToken()
    {
        var reference = _reference!.TokenStream;
        if (!reference.IncrementToken())
        {
            return false;
        }

        ClearAttributes();
        var term = reference.GetAttribute<ICharTermAttribute>();
        _term.CopyBuffer(term.Buffer, 0, term.Length);
        var offset = reference.GetAttribute<IOffsetAttribute>();
        _offset.SetOffset(CorrectOffset(offset.StartOffset), CorrectOffset(offset.EndOffset));
        _positionIncrement.PositionIncrement = reference.GetAttribute<IPositionIncrementAttribute>().PositionIncrement;
        _positionLength.PositionLength = reference.GetAttribute<IPositionLengthAttribute>().PositionLength;
        _type.Type = reference.GetAttribute<ITypeAttribute>().Type;
        _keyword.IsKeyword = reference.GetAttribute<IKeywordAttribute>().IsKeyword;
        return true;
    }

    private void CloseReference()
    {
        if (_referenceOpen)
        {
            _referenceOpen = false;
            _reference!.TokenStream.Dispose();
        }
    }
}
