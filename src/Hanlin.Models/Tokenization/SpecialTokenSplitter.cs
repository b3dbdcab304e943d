namespace Hanlin.Models.Tokenization;

/// <summary>
/// Cuts text at added/special tokens before the model algorithm runs, as Hugging Face's added-vocabulary pass and
/// llama.cpp's <c>tokenizer_st_partition</c> do: at each position the longest matching token wins. Control tokens
/// match only when special tokens are parsed; user-defined tokens always match.
/// </summary>
internal sealed class SpecialTokenSplitter
{
    // Candidates by first character, longest first.
    private readonly Dictionary<char, (string Text, int Id, bool Control)[]> _byFirstChar;
    private readonly IReadOnlyDictionary<int, (bool Left, bool Right)> _strip;

    public SpecialTokenSplitter(TokenizerVocabulary vocabulary)
    {
        _strip = vocabulary.StripWhitespace;
        _byFirstChar = vocabulary.AddedTokenIds()
            .Select(id => (Text: vocabulary.Tokens[id], Id: id, Control: vocabulary.Kinds[id] == TokenKind.Control))
            .GroupBy(t => t.Text[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Text.Length).ThenBy(t => t.Id).ToArray());
    }

    /// <summary>Splits <paramref name="text"/> into plain-text runs (Id = -1) and matched tokens (Text = null).</summary>
    public List<(string? Text, int Id)> Split(string text, bool parseSpecialTokens)
    {
        var segments = new List<(string? Text, int Id)>();
        var runStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var match = _byFirstChar.Count == 0 ? default : Match(text, i, parseSpecialTokens);
            if (match.Text is null)
            {
                i++;
                continue;
            }

            // Hugging Face lstrip/rstrip: the token absorbs the whitespace next to it.
            var strip = _strip.GetValueOrDefault(match.Id);
            var runEnd = i;
            while (strip.Left && runEnd > runStart && char.IsWhiteSpace(text[runEnd - 1]))
            {
                runEnd--;
            }

            if (runEnd > runStart)
            {
                segments.Add((text[runStart..runEnd], -1));
            }

            segments.Add((null, match.Id));
            i += match.Text.Length;
            while (strip.Right && i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            runStart = i;
        }

        if (runStart < text.Length)
        {
            segments.Add((text[runStart..], -1));
        }

        return segments;
    }

    private (string? Text, int Id) Match(string text, int position, bool parseSpecialTokens)
    {
        if (_byFirstChar.TryGetValue(text[position], out var candidates))
        {
            foreach (var candidate in candidates)
            {
                if ((parseSpecialTokens || !candidate.Control) && text.AsSpan(position).StartsWith(candidate.Text, StringComparison.Ordinal))
                {
                    return (candidate.Text, candidate.Id);
                }
            }
        }

        return default;
    }
}
