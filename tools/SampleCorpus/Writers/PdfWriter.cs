using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace SampleCorpus.Writers;

/// <summary>
/// Lays out headings, paragraphs and bullets on A4 pages in a standard Helvetica font, with a running header
/// and a "Page n of N" footer on every page, as printed hospital and brokerage documents have. PdfPig has no
/// text layout, so line breaking is done here by measuring words.
/// </summary>
internal static partial class PdfWriter
{
    // All lengths in PDF points (1/72 inch). A4 is 595 x 842.
    private const double Margin = 64;
    private const double TopOfText = 842 - 84;
    private const double BottomOfText = 72;
    private const double BodySize = 10;
    private const double BulletIndent = 14;

    public static byte[] Write(string title, string runningHeader, IReadOnlyList<PdfBlock> blocks)
    {
        using var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = title;
        builder.DocumentInformation.Producer = "Hanlin SampleCorpus";
        // One font only: with two, PdfPig orders a page's font resources differently from run to run, and the
        // samples must regenerate byte for byte. Headings stand out by size instead of weight.
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);

        var pages = new List<PdfPageBuilder> { builder.AddPage(PageSize.A4) };
        var y = TopOfText;
        foreach (var block in blocks)
        {
            var (size, spaceBefore, indent) = block.Kind switch
            {
                PdfBlockKind.Title => (16.0, 0.0, 0.0),
                PdfBlockKind.Heading => (12.0, 12.0, 0.0),
                PdfBlockKind.Bullet => (BodySize, 3.0, BulletIndent),
                _ => (BodySize, 6.0, 0.0),
            };
            var lineHeight = size * 1.35;
            var page = pages[^1];
            var width = page.PageSize.Width - (2 * Margin) - indent;
            var lines = Wrap(page, block.Text, font, size, width);

            // A heading must not be the last line on a page: keep it with two lines of what follows.
            var needed = spaceBefore + (lineHeight * (block.Kind == PdfBlockKind.Heading ? 3 : 1));
            if (y - needed < BottomOfText)
            {
                pages.Add(builder.AddPage(PageSize.A4));
                y = TopOfText;
            }
            else
            {
                y -= spaceBefore;
            }

            for (var i = 0; i < lines.Count; i++)
            {
                if (y - lineHeight < BottomOfText)
                {
                    pages.Add(builder.AddPage(PageSize.A4));
                    y = TopOfText;
                }

                y -= lineHeight;
                if (block.Kind == PdfBlockKind.Bullet && i == 0)
                {
                    pages[^1].AddText("-", size, new PdfPoint(Margin + 4, y), font);
                }

                pages[^1].AddText(lines[i], size, new PdfPoint(Margin + indent, y), font);
            }
        }

        for (var n = 0; n < pages.Count; n++)
        {
            var page = pages[n];
            var right = page.PageSize.Width - Margin;
            page.AddText(runningHeader, 8, new PdfPoint(Margin, 842 - 48), font);
            page.DrawLine(new PdfPoint(Margin, 842 - 54), new PdfPoint(right, 842 - 54), 0.5);
            var footer = $"Page {n + 1} of {pages.Count}";
            page.AddText(footer, 8, new PdfPoint(right - TextWidth(page, footer, font, 8), 40), font);
        }

        return WithFixedFileId(builder.Build(), title);
    }

    /// <summary>Replaces the random file identifier PdfPig writes with one derived from the title, same length so offsets hold.</summary>
    private static byte[] WithFixedFileId(byte[] pdf, string title)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var match = FileIdPattern().Match(text);
        if (!match.Success)
        {
            throw new InvalidOperationException("PdfPig wrote no /ID entry; the trailer format changed.");
        }

        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(title)), 0, 16);
        var fixedId = $"/ID [ <{id}><{id}>]";
        return Encoding.Latin1.GetBytes(string.Concat(text.AsSpan(0, match.Index), fixedId, text.AsSpan(match.Index + match.Length)));
    }

    [GeneratedRegex("/ID \\[ <[0-9A-F]{32}><[0-9A-F]{32}>\\]")]
    private static partial Regex FileIdPattern();

    private static List<string> Wrap(PdfPageBuilder page, string text, PdfDocumentBuilder.AddedFont font, double size, double width)
    {
        var lines = new List<string>();
        var current = string.Empty;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : $"{current} {word}";
            if (current.Length > 0 && TextWidth(page, candidate, font, size) > width)
            {
                lines.Add(current);
                current = word;
            }
            else
            {
                current = candidate;
            }
        }

        if (current.Length > 0)
        {
            lines.Add(current);
        }

        return lines;
    }

    private static double TextWidth(PdfPageBuilder page, string text, PdfDocumentBuilder.AddedFont font, double size)
    {
        var letters = page.MeasureText(text, size, new PdfPoint(0, 0), font);
        return letters.Count == 0 ? 0 : letters[^1].EndBaseLine.X - letters[0].StartBaseLine.X;
    }
}
