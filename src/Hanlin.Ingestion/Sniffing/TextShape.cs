using Hanlin.Ingestion.Formats.Text;

namespace Hanlin.Ingestion.Sniffing;

/// <summary>Cheap, linear checks on the decoded head of a text file that tell HTML, Markdown and CSV apart.</summary>
internal static class TextShape
{
    /// <summary>
    /// HTML when the text opens (after a BOM, whitespace, an XML declaration and comments) with a doctype or
    /// an html tag, or when it has head/body tags anywhere in the head.
    /// </summary>
    public static bool LooksLikeHtml(string text)
    {
        var span = text.AsSpan().TrimStart('\uFEFF');
        while (true)
        {
            span = span.TrimStart();
            if (span.StartsWith("<!--", StringComparison.Ordinal))
            {
                var end = span.IndexOf("-->", StringComparison.Ordinal);
                span = end < 0 ? [] : span[(end + 3)..];
            }
            else if (span.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase))
            {
                var end = span.IndexOf("?>", StringComparison.Ordinal);
                span = end < 0 ? [] : span[(end + 2)..];
            }
            else
            {
                break;
            }
        }

        if (span.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || StartsWithTag(span, "html"))
        {
            return true;
        }

        return HasTag(text, "<head") || HasTag(text, "<body");
    }

    /// <summary>
    /// Markdown without a .md name needs an ATX heading plus at least one other Markdown construct
    /// (list, fence, link, emphasis, table rule) and no HTML tags; one signal alone is too weak
    /// (a shell script's "# comment" is an ATX heading).
    /// </summary>
    public static bool LooksLikeMarkdown(string text)
    {
        int headings = 0, others = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine.TrimStart(' ');
            if (line.Length == 0)
            {
                continue;
            }

            var hashes = line.IndexOfAnyExcept('#');
            if (hashes is >= 1 and <= 6 && line[hashes] == ' ')
            {
                headings++;
            }
            else if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("- ", StringComparison.Ordinal)
                || line.StartsWith("* ", StringComparison.Ordinal) || line.StartsWith("|--", StringComparison.Ordinal)
                || line.StartsWith("| --", StringComparison.Ordinal) || line.Contains("](", StringComparison.Ordinal)
                || line.Contains("**", StringComparison.Ordinal))
            {
                others++;
            }
        }

        return headings > 0 && (headings + others) >= 2 && others > 0 && !HasTag(text, "<div") && !HasTag(text, "<p");
    }

    /// <summary>Delimited data: the first lines (at least three) all hold the same non-zero number of one delimiter.</summary>
    public static bool LooksLikeDelimited(string text, bool isWhole) => CsvParser.DetectDelimiter(text, isWhole, out var consistent) != '\0' && consistent;

    private static bool StartsWithTag(ReadOnlySpan<char> span, string name) =>
        span.Length > name.Length + 1 && span[0] == '<' && span[1..].StartsWith(name, StringComparison.OrdinalIgnoreCase)
        && (span[name.Length + 1] is '>' or ' ' or '\t' or '\r' or '\n');

    private static bool HasTag(string text, string open)
    {
        var index = 0;
        while ((index = text.IndexOf(open, index, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var after = index + open.Length;
            if (after >= text.Length || text[after] is '>' or ' ' or '\t' or '\r' or '\n')
            {
                return true;
            }

            index = after;
        }

        return false;
    }
}
