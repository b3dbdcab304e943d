using System.Text;
using System.Text.RegularExpressions;

namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>
/// Removes running headers and footers: lines in the top or bottom band of a page whose text, with digit
/// runs normalised ("Page 3 of 10" ~ "Page 4 of 10"), appears on a majority of the text pages of a document
/// with at least <see cref="MinPagesForRepeats"/> of them; and bare page numbers ("7", "- 7 -", "Page 7",
/// "5-3", "vii") in those bands on any page. Needs page geometry, so it lives with the PDF extractor.
/// </summary>
internal static partial class RunningHeaderFilter
{
    /// <summary>Fewer pages give no evidence that a line repeats.</summary>
    public const int MinPagesForRepeats = 3;

    /// <summary>Fraction of the page height, from the top and from the bottom, where headers and footers live.</summary>
    public const double BandFraction = 0.1;

    public static IReadOnlyList<PdfPageLayout> Apply(IReadOnlyList<PdfPageLayout> pages)
    {
        var repeated = FindRepeatedKeys(pages);
        var result = new List<PdfPageLayout>(pages.Count);
        foreach (var page in pages)
        {
            var blocks = new List<IReadOnlyList<PdfTextLine>>(page.Blocks.Count);
            foreach (var block in page.Blocks)
            {
                var kept = block.Where(line => !IsRunningLine(page, line, repeated)).ToList();
                if (kept.Count > 0)
                {
                    blocks.Add(kept.Count == block.Count ? block : kept);
                }
            }

            result.Add(page with { Blocks = blocks });
        }

        return result;
    }

    /// <summary>Lower-cased text with whitespace collapsed and every run of digits replaced by '#'.</summary>
    public static string NormaliseKey(string text)
    {
        var sb = new StringBuilder(text.Length);
        var previousWasDigit = false;
        var previousWasSpace = true;
        foreach (var c in text)
        {
            if (char.IsDigit(c))
            {
                if (!previousWasDigit)
                {
                    sb.Append('#');
                }

                previousWasDigit = true;
                previousWasSpace = false;
                continue;
            }

            previousWasDigit = false;
            if (char.IsWhiteSpace(c))
            {
                if (!previousWasSpace)
                {
                    sb.Append(' ');
                }

                previousWasSpace = true;
                continue;
            }

            previousWasSpace = false;
            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString().TrimEnd();
    }

    public static bool IsBarePageNumber(string text) => BarePageNumber().IsMatch(text);

    private static HashSet<string> FindRepeatedKeys(IReadOnlyList<PdfPageLayout> pages)
    {
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        if (pages.Count < MinPagesForRepeats)
        {
            return repeated;
        }

        // Count each key once per page: a line repeated within a page says nothing about running headers.
        var pagesPerKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var seenOnPage = new HashSet<string>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            seenOnPage.Clear();
            foreach (var block in page.Blocks)
            {
                foreach (var line in block)
                {
                    if (!InBand(page, line))
                    {
                        continue;
                    }

                    var key = NormaliseKey(line.Text);
                    if (seenOnPage.Add(key))
                    {
                        pagesPerKey[key] = pagesPerKey.GetValueOrDefault(key) + 1;
                    }
                }
            }
        }

        foreach (var (key, count) in pagesPerKey)
        {
            if (count * 2 > pages.Count)
            {
                repeated.Add(key);
            }
        }

        return repeated;
    }

    private static bool IsRunningLine(PdfPageLayout page, PdfTextLine line, HashSet<string> repeated) =>
        InBand(page, line) && (IsBarePageNumber(line.Text) || (repeated.Count > 0 && repeated.Contains(NormaliseKey(line.Text))));

    private static bool InBand(PdfPageLayout page, PdfTextLine line)
    {
        var band = page.Height * BandFraction;
        return line.Bottom >= page.Top - band || line.Top <= page.Bottom + band;
    }

    [GeneratedRegex(@"^\s*(?:(?:page|p\.|pg\.?)\s*)?[-–—]?\s*(?:(?:\d{1,3}\s*[-–.]\s*)?\d{1,5}|[ivxlcdm]{1,7})\s*[-–—]?\s*(?:(?:of|/)\s*\d{1,5})?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BarePageNumber();
}
