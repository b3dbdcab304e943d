namespace Hanlin.Ingestion.Formats.Text;

/// <summary>
/// Cuts a large Markdown text into parts that parse to the same blocks as the whole: each cut is just before
/// a non-indented ATX heading line outside fenced code and front matter. Such a line closes every open
/// paragraph, list and block quote, so nothing spans it. Two constructs could still span it and disable
/// cutting when present: link reference definitions (a link's target may be defined in another part) and
/// HTML blocks that run to an end marker (comments, pre, script, style, textarea).
/// </summary>
internal static class MarkdownSections
{
    /// <summary>Below this size a document is parsed whole: parallel parsing does not pay off.</summary>
    public const int MinimumPartChars = 1024 * 1024;

    /// <summary>Start and length of each part, in order; one part when the text is small or cannot be cut safely.</summary>
    public static List<(int Start, int Length)> Split(string text, int maxParts, int minimumPartChars = MinimumPartChars)
    {
        if (maxParts < 2 || text.Length < 2 * minimumPartChars || HasSpanningConstructs(text))
        {
            return [(0, text.Length)];
        }

        var target = Math.Max(minimumPartChars, text.Length / maxParts);
        var parts = new List<(int Start, int Length)>();
        var partStart = 0;
        var position = SkipFrontMatter(text);
        char fence = '\0';
        var fenceLength = 0;
        while (position < text.Length)
        {
            var lineEnd = text.IndexOf('\n', position);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd;
            var line = text.AsSpan(position, lineEnd - position);
            var trimmed = line.TrimStart(' ');
            var indent = line.Length - trimmed.Length;
            if (indent <= 3 && trimmed.Length >= 3 && trimmed[0] is '`' or '~')
            {
                var run = trimmed.IndexOfAnyExcept(trimmed[0]);
                run = run < 0 ? trimmed.Length : run;
                if (fence == '\0' && run >= 3)
                {
                    fence = trimmed[0];
                    fenceLength = run;
                }
                else if (fence == trimmed[0] && run >= fenceLength && trimmed[run..].IsWhiteSpace())
                {
                    fence = '\0';
                }
            }
            else if (fence == '\0' && position - partStart >= target && IsAtxHeading(line))
            {
                parts.Add((partStart, position - partStart));
                partStart = position;
            }

            position = lineEnd + 1;
        }

        parts.Add((partStart, text.Length - partStart));
        return parts;
    }

    private static bool IsAtxHeading(ReadOnlySpan<char> line)
    {
        var hashes = line.IndexOfAnyExcept('#');
        return hashes is >= 1 and <= 6 && line[hashes] is ' ' or '\t' or '\r';
    }

    private static int SkipFrontMatter(string text)
    {
        if (!text.StartsWith("---", StringComparison.Ordinal))
        {
            return 0;
        }

        var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        return end < 0 ? text.Length : end + 4;
    }

    private static bool HasSpanningConstructs(string text)
    {
        foreach (var marker in (ReadOnlySpan<string>)["<!--", "<pre", "<script", "<style", "<textarea", "]:"])
        {
            if (text.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
