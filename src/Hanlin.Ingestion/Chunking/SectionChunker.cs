using Hanlin.Core.Documents;
using Hanlin.Ingestion.Cleaning;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// Chunks one <see cref="DocumentSection"/>. Units (heading, sentences, whole lists and tables, list
/// items) are packed greedily by their summed token estimates; each chunk is then counted exactly once
/// and trimmed by whole units if it came out past <see cref="ChunkingOptions.MaxTokens"/>. Tokenising
/// is the bulk of the cost, so each character is tokenised about once: units are estimated
/// (<see cref="TokenEstimator"/> scaled by a factor that learns from every exact chunk count), and only
/// units that could exceed a limit on their own, or that would be repeated as overlap, are counted.
/// One instance per section and call; not thread-safe.
/// </summary>
internal sealed class SectionChunker
{
    private readonly string _text;
    private readonly IReadOnlyList<NormalizedBlock> _blocks;
    private readonly DocumentSection _section;
    private readonly ChunkingOptions _options;
    private readonly TokenCounter _tokens;
    private readonly SentenceSplitter _splitter;
    private readonly List<ChunkDraft> _output = [];
    private readonly List<ChunkUnit> _current = [];
    private readonly List<TextSpan> _sentences = [];
    private readonly int _countAbove;
    private int _currentTokens;
    private double _factor;

    public SectionChunker(NormalizedDocument document, DocumentSection section, ChunkingOptions options, TokenCounter tokens, SentenceSplitter splitter, double estimateFactor)
    {
        _factor = estimateFactor;

        // An estimate this far below MaxTokens cannot hide a unit over MaxTokens; above it, count.
        _countAbove = options.MaxTokens / 3;
        _text = document.Text;
        _blocks = document.Blocks;
        _section = section;
        _options = options;
        _tokens = tokens;
        _splitter = splitter;
    }

    private bool OnlyHeadings => _current.Count > 0 && _current.TrueForAll(u => u.Kind == ChunkUnitKind.Heading);

    public IReadOnlyList<ChunkDraft> Run()
    {
        if (_section.HeadingEnd > _section.HeadingStart)
        {
            AddHeadings();
        }

        var i = _section.BodyStart;
        while (i < _section.BodyEnd)
        {
            var block = _blocks[i];
            switch (block.Kind)
            {
                case BlockKind.ListItem:
                    var end = i + 1;
                    while (end < _section.BodyEnd && _blocks[end].Kind == BlockKind.ListItem)
                    {
                        end++;
                    }

                    AddList(i, end);
                    i = end;
                    continue;
                case BlockKind.Table when block.Table is not null:
                    AddTable(block);
                    break;
                default:
                    AddSentences(block.Start, block.End, block.Page, ChunkUnitKind.Sentence, AddFlow);
                    break;
            }

            i++;
        }

        Flush(continuesWithSentence: false);
        return _output;
    }

    private void AddHeadings()
    {
        var first = _blocks[_section.HeadingStart];
        var last = _blocks[_section.HeadingEnd - 1];
        var (start, end) = Trim(first.Start, last.End);
        if (start == end)
        {
            return;
        }

        var tokens = Measure(start, end, out var exact);
        var unit = new ChunkUnit(start, end, tokens, MinPage(first.Page, last.Page), MaxPage(first.Page, last.Page), ChunkUnitKind.Heading, exact);
        if (tokens <= _options.MaxTokens)
        {
            _current.Add(unit);
            _currentTokens += tokens;
        }
        else
        {
            AddTokenPieces(unit, ChunkUnitKind.Heading, AddFlow);
        }
    }

    private void AddSentences(int start, int end, int? page, ChunkUnitKind kind, Action<ChunkUnit> add)
    {
        _sentences.Clear();
        _splitter.Split(_text.AsSpan(start, end - start), start, _sentences);
        foreach (var sentence in _sentences)
        {
            var tokens = Measure(sentence.Start, sentence.End, out var exact);
            var unit = new ChunkUnit(sentence.Start, sentence.End, tokens, page, page, kind, exact);
            if (tokens <= _options.MaxTokens)
            {
                add(unit);
            }
            else
            {
                AddTokenPieces(unit, kind, add);
            }
        }
    }

    // Last resort for a sentence, heading or list item longer than MaxTokens: cut it every TargetTokens tokens.
    private void AddTokenPieces(ChunkUnit unit, ChunkUnitKind kind, Action<ChunkUnit> add)
    {
        var position = unit.Start;
        while (position < unit.End)
        {
            while (position < unit.End && char.IsWhiteSpace(_text[position]))
            {
                position++;
            }

            if (position == unit.End)
            {
                break;
            }

            var rest = _text.AsSpan(position, unit.End - position);
            var length = _tokens.PrefixLengthWithin(rest, _options.TargetTokens, out var tokens);
            var forced = length == 0;
            if (forced)
            {
                // One character that alone encodes to more tokens than the budget cannot be cut further.
                length = char.IsHighSurrogate(rest[0]) && rest.Length > 1 ? 2 : 1;
            }

            var (start, end) = Trim(position, position + length);
            if (forced || end != position + length)
            {
                tokens = _tokens.Count(_text.AsSpan(start, end - start));
            }

            add(unit with { Start = start, End = end, Tokens = tokens, Kind = kind, Exact = true });
            position += length;
        }
    }

    private void AddFlow(ChunkUnit unit)
    {
        var limit = OnlyHeadings ? _options.MaxTokens : _options.TargetTokens;
        if (_current.Count > 0 && _currentTokens + unit.Tokens > limit)
        {
            Flush(continuesWithSentence: unit.Kind == ChunkUnitKind.Sentence, nextTokens: unit.Tokens);
        }

        Append(unit);
    }

    private void AddAtomic(ChunkUnit unit)
    {
        var limit = OnlyHeadings ? _options.MaxTokens : _options.TargetTokens;
        if (_current.Count > 0 && _currentTokens + unit.Tokens > limit)
        {
            Flush(continuesWithSentence: false);
        }

        Append(unit);
    }

    private void AddListItem(ChunkUnit unit)
    {
        if (_current.Count > 0 && _currentTokens + unit.Tokens > _options.MaxTokens)
        {
            Flush(continuesWithSentence: false);
        }

        Append(unit);
    }

    private void Append(ChunkUnit unit)
    {
        _current.Add(unit);
        _currentTokens += unit.Tokens;
    }

    private void AddList(int firstBlock, int endBlock)
    {
        var first = _blocks[firstBlock];
        var last = _blocks[endBlock - 1];
        var (start, end) = Trim(first.Start, last.End);
        if (start == end)
        {
            return;
        }

        var tokens = Measure(start, end, out var exact);
        if (tokens <= _options.MaxTokens)
        {
            var (firstPage, lastPage) = PageRange(firstBlock, endBlock);
            AddAtomic(new ChunkUnit(start, end, tokens, firstPage, lastPage, ChunkUnitKind.List, exact));
            return;
        }

        // Too big to keep whole: pack whole items up to MaxTokens, in chunks of their own.
        if (!OnlyHeadings)
        {
            Flush(continuesWithSentence: false);
        }

        for (var i = firstBlock; i < endBlock; i++)
        {
            var item = _blocks[i];
            var (itemStart, itemEnd) = Trim(item.Start, item.End);
            if (itemStart == itemEnd)
            {
                continue;
            }

            var itemTokens = Measure(itemStart, itemEnd, out var itemExact);
            if (itemTokens <= _options.MaxTokens)
            {
                AddListItem(new ChunkUnit(itemStart, itemEnd, itemTokens, item.Page, item.Page, ChunkUnitKind.ListItem, itemExact));
            }
            else
            {
                AddSentences(itemStart, itemEnd, item.Page, ChunkUnitKind.ListItem, AddListItem);
            }
        }

        Flush(continuesWithSentence: false);
    }

    private void AddTable(NormalizedBlock block)
    {
        var (start, end) = Trim(block.Start, block.End);
        if (start == end)
        {
            return;
        }

        var tokens = Measure(start, end, out var exact);
        if (tokens <= _options.MaxTokens)
        {
            AddAtomic(new ChunkUnit(start, end, tokens, block.Page, block.Page, ChunkUnitKind.Table, exact));
            return;
        }

        ChunkUnit? heading = null;
        if (OnlyHeadings)
        {
            heading = new ChunkUnit(_current[0].Start, _current[^1].End, _currentTokens, _current[0].FirstPage, _current[^1].LastPage, ChunkUnitKind.Heading, Exact: false);
            _current.Clear();
            _currentTokens = 0;
        }
        else
        {
            Flush(continuesWithSentence: false);
        }

        var splitter = new TableChunkSplitter(_text, _tokens, _options);
        splitter.Split(block, _section.SectionPath, heading, _output);
    }

    private void Flush(bool continuesWithSentence, int nextTokens = 0)
    {
        if (_current.Count == 0)
        {
            return;
        }

        var take = _current.Count;
        int count;
        while (true)
        {
            count = take == 1 && _current[0].Exact
                ? _current[0].Tokens
                : _tokens.Count(_text.AsSpan(_current[0].Start, _current[take - 1].End - _current[0].Start));
            if (count <= _options.MaxTokens || take == 1)
            {
                break;
            }

            take--;
        }

        var leftover = _current.GetRange(take, _current.Count - take);
        if (count > _options.MaxTokens)
        {
            // A single unit the estimate let through is over MaxTokens: cut it by tokens instead.
            var oversize = _current[0];
            _current.Clear();
            _currentTokens = 0;
            AddTokenPieces(oversize, oversize.Kind == ChunkUnitKind.List ? ChunkUnitKind.ListItem : oversize.Kind, AddByKind);
            ReAdd(leftover);
            return;
        }

        Learn(take, count);
        Emit(take, count);
        var overlapStart = take;
        if ((continuesWithSentence || (leftover.Count > 0 && leftover[0].Kind == ChunkUnitKind.Sentence)) && _options.OverlapTokens > 0)
        {
            var next = leftover.Count > 0 ? leftover.Sum(u => u.Tokens) : nextTokens;
            var overlap = 0;
            while (overlapStart > 1 && _current[overlapStart - 1].Kind == ChunkUnitKind.Sentence)
            {
                var candidate = CountExactly(overlapStart - 1);
                if (overlap + candidate > _options.OverlapTokens || overlap + candidate + next > _options.TargetTokens)
                {
                    break;
                }

                overlapStart--;
                overlap += candidate;
            }
        }

        _current.RemoveRange(0, overlapStart);
        _current.RemoveRange(_current.Count - leftover.Count, leftover.Count);
        _currentTokens = _current.Sum(u => u.Tokens);
        ReAdd(leftover);
    }

    private void ReAdd(List<ChunkUnit> units)
    {
        foreach (var unit in units)
        {
            AddByKind(unit);
        }
    }

    private void AddByKind(ChunkUnit unit)
    {
        switch (unit.Kind)
        {
            case ChunkUnitKind.ListItem:
                AddListItem(unit);
                break;
            case ChunkUnitKind.List or ChunkUnitKind.Table:
                AddAtomic(unit);
                break;
            default:
                AddFlow(unit);
                break;
        }
    }

    // Overlap promises at most OverlapTokens, so the sentences it repeats are counted, not estimated.
    private int CountExactly(int index)
    {
        var unit = _current[index];
        if (!unit.Exact)
        {
            unit = unit with { Tokens = _tokens.Count(_text.AsSpan(unit.Start, unit.End - unit.Start)), Exact = true };
            _current[index] = unit;
        }

        return unit.Tokens;
    }

    private int Measure(int start, int end, out bool exact)
    {
        var span = _text.AsSpan(start, end - start);
        var estimate = (int)Math.Ceiling(TokenEstimator.Estimate(span) * _factor);
        exact = estimate > _countAbove;
        return exact ? _tokens.Count(span) : estimate;
    }

    // Moves the estimate factor towards what this chunk's exact count says, damped against outliers.
    private void Learn(int take, int count)
    {
        var estimated = 0;
        var exact = 0;
        for (var i = 0; i < take; i++)
        {
            if (_current[i].Exact)
            {
                exact += _current[i].Tokens;
            }
            else
            {
                estimated += _current[i].Tokens;
            }
        }

        if (estimated >= 32)
        {
            var ratio = Math.Clamp((count - exact) / (double)estimated, 0.5, 2.0);
            _factor *= 1 + (0.3 * (ratio - 1));
        }
    }

    private void Emit(int take, int tokenCount)
    {
        var start = _current[0].Start;
        var end = _current[take - 1].End;
        int? firstPage = null;
        int? lastPage = null;
        Span<int> tokensByKind = stackalloc int[5];
        for (var i = 0; i < take; i++)
        {
            var unit = _current[i];
            firstPage = MinPage(firstPage, unit.FirstPage);
            lastPage = MaxPage(lastPage, unit.LastPage);
            tokensByKind[(int)unit.Kind] += Math.Max(1, unit.Tokens);
        }

        var kind = DominantKind(tokensByKind);
        _output.Add(ChunkDraftFactory.Create(_text.Substring(start, end - start), _section.SectionPath, firstPage, lastPage, start, end, tokenCount, kind));
    }

    private static ChunkKind DominantKind(ReadOnlySpan<int> tokensByKind)
    {
        var paragraph = tokensByKind[(int)ChunkUnitKind.Sentence];
        var list = tokensByKind[(int)ChunkUnitKind.List] + tokensByKind[(int)ChunkUnitKind.ListItem];
        var table = tokensByKind[(int)ChunkUnitKind.Table];
        if (paragraph == 0 && list == 0 && table == 0)
        {
            return ChunkKind.Heading;
        }

        if (table > paragraph && table >= list)
        {
            return ChunkKind.Table;
        }

        return list > paragraph ? ChunkKind.List : ChunkKind.Paragraph;
    }

    private (int? First, int? Last) PageRange(int firstBlock, int endBlock)
    {
        int? first = null;
        int? last = null;
        for (var i = firstBlock; i < endBlock; i++)
        {
            first = MinPage(first, _blocks[i].Page);
            last = MaxPage(last, _blocks[i].Page);
        }

        return (first, last);
    }

    private (int Start, int End) Trim(int start, int end)
    {
        while (start < end && char.IsWhiteSpace(_text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(_text[end - 1]))
        {
            end--;
        }

        return (start, end);
    }

    private static int? MinPage(int? a, int? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static int? MaxPage(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
