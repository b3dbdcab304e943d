using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// Splits text with a sequence of regexes, each applied to every piece the previous one left, keeping both
/// matches and the text between them as pieces (Hugging Face <c>Split(behavior: Isolated)</c>, llama.cpp
/// <c>unicode_regex_split</c>). Microsoft.ML.Tokenizers' <see cref="RegexPreTokenizer"/> applies one regex and
/// drops unmatched text, which DeepSeek's multi-stage splitting needs kept, hence this subclass.
/// </summary>
internal sealed class RegexSequencePreTokenizer(IReadOnlyList<Regex> stages) : PreTokenizer
{
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Split(text);
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    public List<(int Offset, int Length)> Split(string text)
    {
        var pieces = new List<(int Offset, int Length)> { (0, text.Length) };
        foreach (var stage in stages)
        {
            var next = new List<(int Offset, int Length)>(pieces.Count * 2);
            foreach (var (offset, length) in pieces)
            {
                // Each piece is matched as a string of its own, so anchors and lookarounds see only the piece.
                var piece = text.Substring(offset, length);
                var last = 0;
                foreach (Match match in stage.Matches(piece))
                {
                    if (match.Length == 0)
                    {
                        continue;
                    }

                    if (match.Index > last)
                    {
                        next.Add((offset + last, match.Index - last));
                    }

                    next.Add((offset + match.Index, match.Length));
                    last = match.Index + match.Length;
                }

                if (last < length)
                {
                    next.Add((offset + last, length - last));
                }
            }

            pieces = next;
        }

        pieces.RemoveAll(p => p.Length == 0);
        return pieces;
    }
}
