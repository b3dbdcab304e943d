using System.Text;

namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>
/// Joins the lines of a paragraph into one string, repairing words hyphenated at a line end
/// ("pharma-" + "cokinetics" → "pharmacokinetics"). The hyphen is kept when the next line starts with an
/// uppercase letter or a digit ("COVID-" + "19"), and when the document itself writes the joined word
/// with a hyphen inside a line ("well-known"), which is the only evidence short of a dictionary that the
/// hyphen is real.
/// </summary>
internal sealed class HyphenationJoiner
{
    private const char SoftHyphen = '\u00AD';

    private readonly HashSet<string> _knownCompounds;

    public HyphenationJoiner(HashSet<string> knownCompounds)
    {
        _knownCompounds = knownCompounds;
    }

    /// <summary>Collects the hyphenated words that occur inside lines (not at a line end) of the pages.</summary>
    public static HyphenationJoiner FromPages(IEnumerable<PdfPageLayout> pages)
    {
        var compounds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var page in pages)
        {
            foreach (var block in page.Blocks)
            {
                foreach (var line in block)
                {
                    if (!line.Text.Contains('-', StringComparison.Ordinal))
                    {
                        continue;
                    }

                    foreach (var token in line.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var word = TrimPunctuation(token);
                        var hyphen = word.IndexOf('-', StringComparison.Ordinal);
                        if (hyphen > 0 && hyphen < word.Length - 1)
                        {
                            compounds.Add(word);
                        }
                    }
                }
            }
        }

        return new HyphenationJoiner(compounds);
    }

    public string Join(IReadOnlyList<string> lines)
    {
        if (lines.Count == 1)
        {
            return lines[0];
        }

        var sb = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (sb.Length == 0)
            {
                sb.Append(line);
                continue;
            }

            AppendJoint(sb, line);
        }

        return sb.ToString();
    }

    private void AppendJoint(StringBuilder sb, string next)
    {
        var last = sb[^1];
        var endsWithBreakHyphen = (last == '-' || last == SoftHyphen) && sb.Length >= 2 && char.IsLetter(sb[^2]);
        if (!endsWithBreakHyphen || next.Length == 0)
        {
            sb.Append(' ').Append(next);
            return;
        }

        if (last == SoftHyphen)
        {
            sb.Length--;
            sb.Append(next);
            return;
        }

        var first = next[0];
        if (char.IsUpper(first) || char.IsDigit(first) || !char.IsLetter(first) || IsKnownCompound(sb, next))
        {
            sb.Append(next);
            return;
        }

        sb.Length--;
        sb.Append(next);
    }

    private bool IsKnownCompound(StringBuilder sb, string next)
    {
        if (_knownCompounds.Count == 0)
        {
            return false;
        }

        var start = sb.Length - 1;
        while (start > 0 && !char.IsWhiteSpace(sb[start - 1]))
        {
            start--;
        }

        var end = next.IndexOf(' ', StringComparison.Ordinal);
        var head = sb.ToString(start, sb.Length - start);
        var tail = end < 0 ? next : next[..end];
        return _knownCompounds.Contains(TrimPunctuation(head + tail));
    }

    private static string TrimPunctuation(string token) =>
        token.Trim('.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '"', '\'', '“', '”', '‘', '’');
}
